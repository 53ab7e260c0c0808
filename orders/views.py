"""The case page and its steps. Every step posts to its own view, which calls one service; a
refusal re-renders the case page with the error at the top and the input kept, nothing saved."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import aggregator_required, client_ip, regulator_required
from accounts.models import AuditAction
from accounts.services import record_access
from orders import forms, services
from orders.access import (
    get_attachment_for_user,
    get_case_for_user,
    get_follow_up_for_user,
    get_notice_for_user,
)
from orders.models import ElectronicNoticeConsent, Notice, OrderCase
from orders.pages import case_context

NOTICE_FORMS = {
    Notice.Kind.PROCEDURE_NOTICE: forms.ProcedureNoticeForm,
    Notice.Kind.ORDER: forms.OrderForm,
    Notice.Kind.CLOSING_NOTICE: forms.ClosingForm,
}


def case_page(request, case: OrderCase, *, error="", status=200, **bound):
    context = case_context(request.user, case, bound)
    context["error"] = error
    return render(request, "orders/ordercase_detail.html", context, status=status)


def run_step(request, case, form, name: str, action: Callable, success: str):
    """Validate ``form``, run ``action(form.cleaned_data)``; on success back to the case with
    ``success``; otherwise the case page with the form as typed and the reason at the top."""
    error = ""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except (ValidationError, PermissionDenied) as refusal:
            error = " ".join(getattr(refusal, "messages", None) or [str(refusal)])
        else:
            messages.success(request, success)
            return redirect(case)
    else:
        error = _("Please correct the errors below; nothing was recorded.")
    return case_page(request, case, error=error, status=400, **{name: form})


@require_safe
@login_required
def case_list(request):
    cases = OrderCase.objects.visible_to(request.user).select_related("organisation", "review")
    if request.user.is_aggregator_user:
        cases = cases.filter(notices__status="issued").distinct()
    if request.GET.get("status") in OrderCase.Status.values:
        cases = cases.filter(status=request.GET["status"])
    return render(request, "orders/ordercase_list.html", {"cases": cases[:200]})


@require_safe
@login_required
def case_detail(request, pk):
    case = get_case_for_user(request.user, pk)
    if request.user.is_aggregator_user:
        for notice in case.notices.filter(status="issued", delivery="electronic"):
            services.acknowledge_notice(notice=notice, actor=request.user)
    return case_page(request, case)


@require_POST
@login_required
@regulator_required
def case_procedure(request, pk):
    case = get_case_for_user(request.user, pk)
    form = forms.ProcedureForm(request.POST, case=case)
    ip = client_ip(request)
    return run_step(request, case, form, "procedure_form",
                    lambda data: services.choose_procedure(case=case, actor=request.user,
                                                           ip_address=ip, **data),
                    _("The procedure was recorded."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def notice_draft(request, pk, kind):
    case = get_case_for_user(request.user, pk)
    if kind not in NOTICE_FORMS:
        raise Http404
    form = NOTICE_FORMS[kind](request.POST)
    ip = client_ip(request)
    return run_step(request, case, form, f"{kind}_form",
                    lambda data: services.draft_notice(case=case, actor=request.user, kind=kind,
                                                       fields=data, ip_address=ip),
                    _("The draft was saved. A review lead approves and issues it."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def notice_issue(request, pk):
    notice = get_notice_for_user(request.user, pk)
    case = get_case_for_user(request.user, notice.case_id)
    warnings = services.window_warnings(notice)
    if warnings and "confirmed" not in request.POST:
        return case_page(request, case, confirm_issue=notice, warnings=warnings)
    ip = client_ip(request)
    return run_step(request, case, forms.forms.Form(request.POST), "issue_form",
                    lambda data: services.issue_notice(notice=notice, actor=request.user,
                                                       ip_address=ip),
                    _("The notice was issued with its document number."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def notice_delivery(request, pk):
    notice = get_notice_for_user(request.user, pk)
    case = get_case_for_user(request.user, notice.case_id)
    form = forms.DeliveryForm(request.POST, prefix=f"delivery-{notice.pk}")
    ip = client_ip(request)
    return run_step(request, case, form, f"delivery_form_{notice.pk}",
                    lambda data: services.record_delivery(notice=notice, actor=request.user,
                                                          ip_address=ip, **data),
                    _("The date of arrival was recorded."))  # fmt: skip


@require_POST
@login_required
@aggregator_required
def explanation_submit(request, pk):
    case = get_case_for_user(request.user, pk)
    form = forms.ExplanationForm(request.POST, request.FILES)
    ip = client_ip(request)
    return run_step(request, case, form, "explanation_form",
                    lambda data: services.submit_explanation(case=case, actor=request.user,
                                                             ip_address=ip, **data),
                    _("Your written explanation was submitted."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def explanation_paper(request, pk):
    case = get_case_for_user(request.user, pk)
    form = forms.PaperExplanationForm(request.POST, request.FILES)
    ip = client_ip(request)
    return run_step(request, case, form, "paper_form",
                    lambda data: services.record_paper_explanation(case=case, actor=request.user,
                                                                   ip_address=ip, **data),
                    _("The written explanation received on paper was recorded."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def opinion_record(request, pk):
    case = get_case_for_user(request.user, pk)
    form = forms.OpinionForm(request.POST)
    ip = client_ip(request)
    return run_step(request, case, form, "opinion_form",
                    lambda data: services.record_opinion(case=case, actor=request.user,
                                                         fields=data, ip_address=ip),
                    _("The Commission's opinion was recorded."))  # fmt: skip


@require_POST
@login_required
@aggregator_required
def follow_up_submit(request, pk):
    follow_up = get_follow_up_for_user(request.user, pk)
    form = forms.FollowUpForm(request.POST, follow_up=follow_up, prefix=f"follow-up-{follow_up.pk}")
    ip = client_ip(request)
    return run_step(request, follow_up.case, form, f"follow_up_form_{follow_up.pk}",
                    lambda data: services.submit_follow_up(follow_up=follow_up, ip_address=ip,
                                                           actor=request.user, **data),
                    _("Submitted to the regulator."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def follow_up_decide(request, pk):
    follow_up = get_follow_up_for_user(request.user, pk)
    form = forms.FollowUpDecisionForm(request.POST, prefix=f"decision-{follow_up.pk}")
    ip = client_ip(request)
    return run_step(request, follow_up.case, form, f"decision_form_{follow_up.pk}",
                    lambda data: services.decide_follow_up(follow_up=follow_up, ip_address=ip,
                                                           actor=request.user, **data),
                    _("The decision was recorded."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def case_comply(request, pk):
    case = get_case_for_user(request.user, pk)
    ip = client_ip(request)
    return run_step(request, case, forms.forms.Form(request.POST), "comply_form",
                    lambda data: services.record_compliance(case=case, actor=request.user,
                                                            ip_address=ip),
                    _("The order was recorded as complied with; the case is closed."))  # fmt: skip


@require_POST
@login_required
@regulator_required
def appeal_record(request, pk):
    case = get_case_for_user(request.user, pk)
    form = forms.AppealForm(request.POST)
    ip = client_ip(request)
    return run_step(request, case, form, "appeal_form",
                    lambda data: services.record_appeal(case=case, actor=request.user,
                                                        fields=data, ip_address=ip),
                    _("The appeal was recorded."))  # fmt: skip


@require_safe
@login_required
def attachment_download(request, pk):
    row = get_attachment_for_user(request.user, pk)
    record_access(request=request, action=AuditAction.EVIDENCE_DOWNLOAD, target=row,
                  data={"sha256": row.sha256})  # fmt: skip
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def consent(request):
    current = (
        ElectronicNoticeConsent.objects.active()
        .filter(organisation_id=request.user.organisation_id)
        .first()
    )
    initial = {"consent": current is not None, "email": current.email if current else ""}
    form = forms.ConsentForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(actor=request.user, ip_address=client_ip(request),
                                    **form.cleaned_data)  # fmt: skip
        except (ValidationError, PermissionDenied) as refusal:
            error = " ".join(getattr(refusal, "messages", None) or [str(refusal)])
        else:
            messages.success(request, _("Your choice on electronic notices was recorded."))
            return redirect("orders:consent")
    history = ElectronicNoticeConsent.objects.filter(organisation_id=request.user.organisation_id)
    context = {"form": form, "current": current, "history": history, "error": error}
    return render(request, "orders/consent_form.html", context, status=400 if error else 200)
