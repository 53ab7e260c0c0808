"""E-mail about a case, sent only after the transaction commits (Japanese: the record)."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from orders.models import ElectronicNoticeConsent, Notice


def notice_issued(notice: Notice) -> None:
    """Only where the company consented to electronic notices (デジタル手続法7条)."""
    consent = (
        ElectronicNoticeConsent.objects.active()
        .filter(organisation=notice.case.organisation)
        .first()
    )
    if consent is None:
        return
    with translation.override("ja"):
        subject = _("[Portal] A formal notice has been issued: %(number)s") % {
            "number": notice.document_number
        }
        body = _(
            "%(title)s (%(number)s) has been issued to %(company)s. Read it in the portal."
        ) % {
            "title": notice.content.get("title", ""),
            "number": notice.document_number,
            "company": notice.case.organisation.name,
        }
    emails = [consent.email]
    transaction.on_commit(lambda: send_mail(subject, body, None, emails))


def deadline_near(case, what: str, due, recipients) -> None:
    """A reminder of a deadline in a case (send_order_reminders)."""
    emails = sorted({user.email for user in recipients if user.is_active})
    with translation.override("ja"):
        subject = _("[Portal] Deadline in an order procedure: %(what)s") % {"what": what}
        body = _("%(what)s is due on %(date)s (%(company)s).") % {
            "what": what,
            "date": due.isoformat(),
            "company": case.organisation.name,
        }
    if emails:
        transaction.on_commit(lambda: send_mail(subject, body, None, emails))


def company_users(case) -> list[User]:
    return list(User.objects.filter(organisation_id=case.organisation_id, is_active=True))
