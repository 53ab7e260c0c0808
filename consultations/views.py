from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import (
    client_ip,
    regulator_required,
    review_lead_required,
    role_required,
)
from accounts.models import REVIEWER_ROLES
from checklists.mapping import catalogue_diff
from consultations import services
from consultations.access import get_opinion_ids, get_period_for_user, opinions_for_user
from consultations.forms import OpinionForm, RecordedOpinionForm, ResponseForm
from consultations.models import CommentPeriod

reviewer_required = role_required(*REVIEWER_ROLES)


@require_safe
@login_required
def period_list(request):
    if not (request.user.is_aggregator_user or request.user.is_regulator_user):
        raise Http404
    periods = CommentPeriod.objects.select_related("catalogue__based_on")
    return render(request, "consultations/commentperiod_list.html", {"periods": periods})


@require_http_methods(["GET", "POST"])
@login_required
def period_detail(request, pk):
    period = get_period_for_user(request.user, pk)
    form = None
    if request.user.is_aggregator_user and period.is_open():
        form = OpinionForm(request.POST or None, period=period)
    elif request.method == "POST":
        raise Http404
    if form is not None and form.is_valid():
        services.submit_opinion(
            period=period, actor=request.user, ip_address=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Your opinion was received. Thank you."))
        return redirect("consultations:period_detail", period.pk)
    diff = [row for row in catalogue_diff(period.catalogue) if row.is_change]
    context = {
        "period": period,
        "diff": diff,
        "form": form,
        "opinions": opinions_for_user(request.user, period),
    }
    return render(request, "consultations/commentperiod_detail.html", context, status=_status(form))


def _status(form) -> int:
    return 400 if form is not None and form.is_bound and not form.is_valid() else 200


@require_http_methods(["GET", "POST"])
@login_required
@regulator_required
def opinion_record(request, pk):
    period = get_period_for_user(request.user, pk)
    form = RecordedOpinionForm(request.POST or None, period=period)
    if form.is_valid():
        try:
            services.record_opinion(
                period=period,
                actor=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The opinion was recorded."))
            return redirect("consultations:period_responses", period.pk)
    context = {"period": period, "form": form}
    return render(request, "consultations/opinion_form.html", context, status=_status(form))


@require_http_methods(["GET", "POST"])
@login_required
@reviewer_required
def period_responses(request, pk):
    period = get_period_for_user(request.user, pk)
    opinions = list(opinions_for_user(request.user, period))
    form = ResponseForm(request.POST or None, period=period, opinions=opinions)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_response(
                period=period,
                actor=request.user,
                opinions=get_opinion_ids(period, [int(pk) for pk in data["opinions"]]),
                body=data["body"],
                changes_draft=data["changes_draft"],
                changed_items=data["changed_items"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The response was saved."))
            return redirect("consultations:period_responses", period.pk)
    context = {
        "period": period,
        "opinions": opinions,
        "form": form,
        "problems": services.check_approval(period),
    }
    return render(
        request, "consultations/commentperiod_responses.html", context, status=_status(form)
    )


@require_POST
@login_required
@review_lead_required
def period_approve(request, pk):
    period = get_period_for_user(request.user, pk)
    try:
        services.approve_table(period=period, actor=request.user, ip_address=client_ip(request))
        services.render_table(period=period, actor=request.user, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The table was approved and published as a signed PDF."))
    return redirect("consultations:period_responses", period.pk)


@require_safe
@login_required
def table_download(request, pk):
    period = get_period_for_user(request.user, pk)
    if not period.table_pdf:
        raise Http404
    name = f"意見募集結果_{period.catalogue.version}.pdf"
    return FileResponse(period.table_pdf.open("rb"), as_attachment=True, filename=name)
