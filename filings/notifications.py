"""E-mail about a draft's hand-off (確認依頼 / 差戻し), sent only after the transaction commits."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User


def _send(subject: str, body: str, recipients) -> None:
    emails = sorted({user.email for user in recipients if user.is_active})
    if emails:
        transaction.on_commit(lambda: send_mail(subject, body, None, emails))


def submission_requested(filing) -> None:
    officers = User.objects.filter(
        organisation_id=filing.organisation_id, role=Role.AGGREGATOR_OFFICER
    )
    with translation.override("ja"):
        subject = _("[Portal] Please check and submit draft #%(pk)s") % {"pk": filing.pk}
        body = _(
            "%(who)s asks you to check and submit draft #%(pk)s in the portal.\n%(comment)s"
        ) % {
            "who": filing.submission_requested_by.full_name,
            "pk": filing.pk,
            "comment": filing.handoff_comment,
        }
    _send(subject, body, officers)


def sent_back(filing, requested_by) -> None:
    recipients = [requested_by] if requested_by else []
    if not recipients:  # nobody asked: every staff member of the company is told
        recipients = list(
            User.objects.filter(organisation_id=filing.organisation_id, role=Role.AGGREGATOR_STAFF)
        )
    with translation.override("ja"):
        subject = _("[Portal] Draft #%(pk)s was sent back") % {"pk": filing.pk}
        body = _("Draft #%(pk)s was sent back with this comment:\n%(comment)s") % {
            "pk": filing.pk,
            "comment": filing.handoff_comment,
        }
    _send(subject, body, recipients)
