"""The statute's clock, changed by the review lead (re-exported by ``reviews.services``):
shortening the waiting period (電気事業法第27条の30第4項) and extending the period (第6項). Each
records the reason, issues a notice to the filer (期間短縮通知 / 期間延長通知書), e-mails it and
signals the reports app to sign its PDF (reviews may not import reports).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Role, User
from legal.models import current_basis
from reviews import notifications
from reviews.models import PeriodNotice, Review

# Sent after the notice is committed, with ``notice`` and ``actor``: reports signs its PDF.
period_notice_issued = Signal()


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _lead_and_reason(by: User, reason: str) -> str:
    if by.role != Role.REVIEW_LEAD:
        raise PermissionDenied(_("Only a review lead shortens or extends the period."))
    if not reason.strip():
        raise ValidationError(_("Give the reason: the notice to the filer states it."))
    return reason.strip()


def _check_shortening(review: Review, new_end: date) -> None:
    today = timezone.localdate()
    if not review.has_order_window:
        raise ValidationError(
            _("A change notified after the fact (Article 27-30(9)) has no waiting period.")
        )
    if review.window_extended_to:
        raise ValidationError(_("The period has been extended; it can no longer be shortened."))
    if today > review.waiting_period_end:
        raise ValidationError(
            _("The waiting period ended on %(end)s; there is nothing left to shorten.")
            % {"end": _day(review.waiting_period_end)}
        )
    if new_end >= review.waiting_period_end:
        raise ValidationError(
            _("The new last day must be before the current one (%(end)s).")
            % {"end": _day(review.waiting_period_end)}
        )
    if new_end < max(today, review.accepted_on):
        raise ValidationError(
            _("The new last day cannot be in the past or before the acceptance date.")
        )


def _check_extension(review: Review, new_end: date) -> None:
    today = timezone.localdate()
    if not review.has_order_window:
        raise ValidationError(
            _(
                "A change notified after the fact (Article 27-30(9)) has no period to extend "
                "and no order window."
            )
        )
    if review.is_decided:
        raise ValidationError(_("The review is already determined; the period is not extended."))
    if review.shortened_to:
        raise ValidationError(_("The waiting period was shortened; it cannot also be extended."))
    if today > review.order_window_end:
        raise ValidationError(
            _(
                "The period ended on %(end)s. Article 27-30(6) allows an extension only before "
                "the period ends."
            )
            % {"end": _day(review.order_window_end)}
        )
    if new_end <= review.order_window_end:
        raise ValidationError(
            _("The new last day must be after the current one (%(end)s).")
            % {"end": _day(review.order_window_end)}
        )
    if new_end > review.extension_limit:
        raise ValidationError(
            _(
                "Article 27-30(6) allows an extension of at most 30 days in total: the period "
                "can end on %(limit)s at the latest."
            )
            % {"limit": _day(review.extension_limit)}
        )


def _issue(review: Review, by: User, kind: str, previous_end: date, reason: str) -> PeriodNotice:
    code = "eba-27-30-4" if kind == PeriodNotice.Kind.SHORTENING else "eba-27-30-6"
    notice = PeriodNotice.objects.create(
        review=review,
        kind=kind,
        accepted_on=review.accepted_on,
        previous_end=previous_end,
        new_end=review.waiting_period_end,
        reason=reason,
        basis=current_basis(code),
        issued_by=by,
    )
    notice.emailed_to = notifications.period_notice(notice)
    notice.save(update_fields=["emailed_to"])
    transaction.on_commit(
        lambda: period_notice_issued.send(sender=PeriodNotice, notice=notice, actor=by)
    )
    return notice


@transaction.atomic
def shorten_waiting_period(
    *, review: Review, by: User, new_end: date, reason: str, ip_address: str | None = None
) -> PeriodNotice:
    """第4項: business may start from the day after ``new_end``. The order window (第5項) stays."""
    reason = _lead_and_reason(by, reason)
    review = Review.objects.select_for_update().select_related("filing").get(pk=review.pk)
    _check_shortening(review, new_end)
    previous_end = review.waiting_period_end
    review.shortened_to, review.shortening_reason = new_end, reason
    review.save(update_fields=["shortened_to", "shortening_reason"])
    AuditEvent.objects.record(
        actor=by,
        action=AuditEvent.Action.REVIEW_SHORTEN_PERIOD,
        target=review,
        ip_address=ip_address,
        data={"from": previous_end.isoformat(), "to": new_end.isoformat()},
    )
    return _issue(review, by, PeriodNotice.Kind.SHORTENING, previous_end, reason)


@transaction.atomic
def extend_order_window(
    *, review: Review, by: User, new_end: date, reason: str, ip_address: str | None = None
) -> PeriodNotice:
    """第6項: the period (and with it the order window of 第5項) ends on ``new_end``, at most
    30 days in total after the 30th day, decided before the period ends."""
    reason = _lead_and_reason(by, reason)
    review = Review.objects.select_for_update().select_related("filing").get(pk=review.pk)
    _check_extension(review, new_end)
    previous_end = review.order_window_end
    review.window_extended_to = new_end
    review.extension_reason = (
        f"{review.extension_reason}\n{reason}" if review.extension_reason else reason
    )
    review.save(update_fields=["window_extended_to", "extension_reason"])
    AuditEvent.objects.record(
        actor=by,
        action=AuditEvent.Action.REVIEW_EXTEND_WINDOW,
        target=review,
        ip_address=ip_address,
        data={"from": previous_end.isoformat(), "to": new_end.isoformat()},
    )
    return _issue(review, by, PeriodNotice.Kind.EXTENSION, previous_end, reason)
