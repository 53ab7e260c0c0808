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


def review_period_ending(review) -> None:
    with translation.override("ja"):
        number = review.filing.receipt_number
        subject = _("[Portal] Reminder: the 30-day period of %(number)s ends on %(date)s") % {
            "number": number,
            "date": date_format(review.deadline, "DATE_FORMAT"),
        }
        body = _(
            "The review of %(number)s (%(company)s) is not determined yet; its 30-day period "
            "(to be confirmed) ends on %(date)s."
        ) % {
            "number": number,
            "company": review.filing.organisation.name,
            "date": date_format(review.deadline, "DATE_FORMAT"),
        }
    _send(subject, body, [review.assignee] if review.assignee else _reviewers())
