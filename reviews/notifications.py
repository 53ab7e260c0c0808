"""E-mail to the right people, through the outbox: stored with the change, sent after the commit
by a task, retried while the mail server is down."""

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from outbox.services import queue_mail


def _send(subject: str, body: str, recipients) -> None:
    emails = {user.email for user in recipients if user.is_active}
    queue_mail(subject=subject, body=body, recipients=emails)


def _company_users(organisation_id: int):
    return User.objects.filter(organisation_id=organisation_id, is_active=True)


def _reviewers():
    return User.objects.reviewers()


def submission_received(review) -> None:
    filing = review.filing
    with translation.override("ja"):
        number = filing.receipt_number
        subject = _("[Portal] Filing received: %(number)s") % {"number": number}
        body = _(
            "The filing %(number)s of %(company)s was received. Review deadline: %(date)s."
        ) % {
            "number": number,
            "company": filing.organisation.name,
            "date": date_format(review.deadline, "DATE_FORMAT"),
        }
    _send(subject, body, [*_company_users(filing.organisation_id), *_reviewers()])


def inquiry_sent(inquiry, organisation_id: int) -> None:
    with translation.override("ja"):
        subject = _("[Portal] Inquiry from the regulator")
        body = _("You have received an inquiry. Please answer by %(date)s in the portal.") % {
            "date": date_format(inquiry.due_date, "DATE_FORMAT")
        }
    _send(subject, body, _company_users(organisation_id))


def inquiry_answered(inquiry, assignee) -> None:
    with translation.override("ja"):
        subject = _("[Portal] Inquiry answered")
        body = _("The filer answered an inquiry: %(question)s") % {
            "question": inquiry.question[:80]
        }
    _send(subject, body, [assignee] if assignee else _reviewers())


def determination_recorded(review) -> None:
    with translation.override("ja"):
        subject = _("[Portal] Determination on %(number)s") % {
            "number": review.filing.receipt_number
        }
        body = _("Determination: %(result)s. Reasons: %(reason)s") % {
            "result": review.get_determination_display(),
            "reason": review.determination_reason,
        }
    _send(subject, body, _company_users(review.filing.organisation_id))


def inquiry_due_soon(inquiry, organisation_id: int) -> None:
    with translation.override("ja"):
        subject = _("[Portal] Reminder: an inquiry is due on %(date)s") % {
            "date": date_format(inquiry.due_date, "DATE_FORMAT")
        }
        body = _(
            "An inquiry from the regulator is waiting for your answer, due on %(date)s: "
            "%(question)s"
        ) % {
            "date": date_format(inquiry.due_date, "DATE_FORMAT"),
            "question": inquiry.question[:200],
        }
    _send(subject, body, _company_users(organisation_id))


def period_notice(notice) -> str:
    """期間短縮通知 / 期間延長通知書 to the filer's users: the new period, the day business may
    start, the reason and the provision. Returns the addresses it goes to (recorded on the
    notice)."""
    review = notice.review
    recipients = list(_company_users(review.filing.organisation_id))
    with translation.override("ja"):
        subject = _("[Portal] %(notice)s: %(number)s") % {
            "notice": notice.get_kind_display(),
            "number": review.filing.receipt_number,
        }
        body = _(
            "%(notice)s (%(basis)s)\n"
            "Filing: %(number)s\n"
            "Acceptance date: %(accepted)s\n"
            "The period now ends on %(end)s (previously %(previous)s); business may start from "
            "%(start)s.\n"
            "Order window (Article 27-30(5)) ends on: %(window)s\n"
            "Reason: %(reason)s\n"
            "The signed notice is in the portal, on the filing's page."
        ) % {
            "notice": notice.get_kind_display(),
            "basis": notice.basis.citation,
            "number": review.filing.receipt_number,
            "accepted": date_format(review.accepted_on, "DATE_FORMAT"),
            "end": date_format(notice.new_end, "DATE_FORMAT"),
            "previous": date_format(notice.previous_end, "DATE_FORMAT"),
            "start": date_format(notice.business_start_from, "DATE_FORMAT"),
            "window": date_format(review.order_window_end, "DATE_FORMAT"),
            "reason": notice.reason,
        }
    _send(subject, body, recipients)
    return ", ".join(sorted({user.email for user in recipients}))


def order_window_ending(review, days: int) -> None:
    """Reminder to the assignee (or every reviewer) and the leads: days left in the window."""
    with translation.override("ja"):
        number = review.filing.receipt_number
        subject = _("[Portal] Reminder: %(days)s days left in the order window of %(number)s") % {
            "days": days,
            "number": number,
        }
        body = _(
            "The order window of %(number)s (%(company)s) ends on %(date)s (Article 27-30(5)). "
            "After that day no change or suspension order may be issued on this filing."
        ) % {
            "number": number,
            "company": review.filing.organisation.name,
            "date": date_format(review.order_window_end, "DATE_FORMAT"),
        }
    people = [review.assignee] if review.assignee else list(_reviewers())
    _send(subject, body, [*people, *User.objects.filter(role="review_lead", is_active=True)])
