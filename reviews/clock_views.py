"""The lead shortens the waiting period (第4項) or extends the period (第6項) from the review
page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.http import client_ip, review_lead_required
from reviews import services
from reviews.access import get_review_for_user
from reviews.forms import PeriodChangeForm
from reviews.views import review_page

ACTIONS = {
    "shorten": (
        services.shorten_waiting_period,
        _("The waiting period now ends on %(end)s; the notice was sent to the filer."),
    ),
    "extend": (
        services.extend_order_window,
        _("The period now ends on %(end)s; the notice was sent to the filer."),
    ),
}


def _change_period(request, pk, action: str):
    review = get_review_for_user(request.user, pk)
    form = PeriodChangeForm(request.POST, prefix=action)
    service, success = ACTIONS[action]
    if form.is_valid():
        try:
            notice = service(
                review=review,
                by=request.user,
                new_end=form.cleaned_data["new_end"],
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(success) % {"end": date_format(notice.new_end)})
            return redirect(f"{review.get_absolute_url()}#clock-title")
    return review_page(request, review, status=400, **{action: form})


@require_POST
@login_required
@review_lead_required
def review_shorten(request, pk):
    return _change_period(request, pk, "shorten")


@require_POST
@login_required
@review_lead_required
def review_extend(request, pk):
    return _change_period(request, pk, "extend")
