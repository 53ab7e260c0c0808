from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import aggregator_required, client_ip, officer_required
from accounts.models import AuditAction
from accounts.services import record_access
from filings import services
from filings.access import get_evidence_for_user, get_filing_for_user
from filings.changes import change_notification_changes
from filings.completeness import assess, draft_outcome, section_progress
from filings.forms import (
    ChangedMattersForm,
    CoverageForm,
    EvidenceUploadForm,
    FilingHeaderForm,
    HandoffForm,
    LowerAggregatorFormSet,
    LowerUseForm,
    SubmitForm,
)
from filings.models import Filing
from filings.snapshots import LOWER_EVIDENCE

PAGE_SIZE = 20
STALE_SECTION = gettext_lazy(
    "Someone else changed this filing after you opened the page. Your input is kept below; "
    "reload the page to see the saved version."
)


@require_safe
@login_required
def filing_list(request):
    filings = Filing.objects.visible_to(request.user).with_progress().order_by("-created_at", "-id")
    page = Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "filings/filing_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def filing_create(request):
    form = FilingHeaderForm(request.POST or None)
    if form.is_valid():
        header = {name: form.cleaned_data[name] for name in Filing.HEADER_FIELDS}
        try:
            filing = services.create_filing(
                actor=request.user, header=header, ip_address=client_ip(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("filings:filing_list")
        messages.success(request, _("The draft was created. Fill in the checklist."))
        return redirect("filings:filing_checklist", filing.pk)
    status = 400 if form.is_bound else 200
    return render(request, "filings/filing_form.html", {"form": form}, status=status)


@require_safe
@login_required
def filing_detail(request, pk):
    filing = get_filing_for_user(request.user, pk)
    context: dict[str, Any] = {"filing": filing}
    if filing.is_draft:
        context["assessment"] = assess(filing)
        context["change_list"] = _draft_changes(filing, request.user)
        context["sections"] = section_progress(filing)
        context["outcome"] = draft_outcome(filing, user=request.user)
        if filing.kind == Filing.Kind.CHANGE:
            context["matters_form"] = ChangedMattersForm(
                initial={"matters": filing.changed_matters.all()}
            )
    else:
        context["snapshot"] = filing.submission.snapshot
    return render(request, "filings/filing_detail.html", context)


@require_POST
@login_required
@aggregator_required
def filing_matters(request, pk):
    """A change notification states the notified matters that change (its regime follows)."""
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    form = ChangedMattersForm(request.POST)
    if form.is_valid():
        try:
            services.set_changed_matters(
                filing=filing,
                actor=request.user,
                matters=list(form.cleaned_data["matters"]),
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The notified matters that change were saved."))
    else:
        messages.error(request, _("Choose the matters from the list."))
    return redirect(f"{filing.get_absolute_url()}#matters-title")


@require_http_methods(["GET", "POST"])
@login_required
def filing_header(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    form = FilingHeaderForm(
        request.POST or None, instance=filing, initial={"version": filing.version}
    )
    if form.is_valid():
        header = {name: form.cleaned_data[name] for name in Filing.HEADER_FIELDS}
        try:
            services.update_filing_header(
                filing=filing,
                actor=request.user,
                header=header,
                version=form.cleaned_data["version"],
                ip_address=client_ip(request),
            )
        except services.StaleEdit as stale:
            form.add_error(None, _("Someone else saved the header after you opened the page."))
            current = Filing.objects.get(pk=filing.pk)
            return render(
                request,
                "filings/filing_form.html",
                {"form": form, "filing": filing, "current": current, "stale": stale},
                status=409,
            )
        messages.success(request, _("The header was saved."))
        return redirect("filings:filing_detail", filing.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "filings/filing_form.html", {"form": form, "filing": filing}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def evidence_list(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=request.method == "POST")
    initial = {"kind": request.GET.get("kind", "item"), "answers": request.GET.getlist("answer")}
    form = EvidenceUploadForm(
        request.POST or None, request.FILES or None, filing=filing, initial=initial
    )
    if form.is_valid():
        try:
            services.add_evidence(
                filing=filing,
                actor=request.user,
                upload=form.cleaned_data["file"],
                inspected=form.inspected,
                kind=form.cleaned_data["kind"],
                answers=list(form.cleaned_data["answers"]),
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file was uploaded."))
            back = "filing_lower" if request.POST.get("return_to") == "lower" else "evidence_list"
            return redirect(f"filings:{back}", filing.pk)
    files = filing.evidence_files.prefetch_related("answers__item")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "filings/evidence_list.html",
        {"filing": filing, "form": form, "files": files},
        status=status,
    )


@require_safe
@login_required
def evidence_download(request, pk, evidence_pk):
    evidence = get_evidence_for_user(request.user, pk, evidence_pk)
    record_access(
        request=request,
        action=AuditAction.EVIDENCE_DOWNLOAD,
        target=evidence,
        data={"filing": evidence.filing_id},
    )
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_http_methods(["GET", "POST"])
@login_required
def evidence_remove(request, pk, evidence_pk):
    """GET asks to confirm (a page, so it works without JavaScript); POST removes."""
    evidence = get_evidence_for_user(request.user, pk, evidence_pk, for_edit=True)
    if request.method == "GET":
        context = {"filing": evidence.filing, "evidence": evidence}
        return render(request, "filings/evidence_confirm_delete.html", context)
    services.remove_evidence(evidence=evidence, actor=request.user, ip_address=client_ip(request))
    messages.success(request, _("The file was removed from this draft."))
    return redirect("filings:evidence_list", pk)


def _lower_forms(data, filing):
    initial = {"uses_lower_aggregators": filing.uses_lower_aggregators, "version": filing.version}
    header = LowerUseForm(data, initial=initial)
    formset = LowerAggregatorFormSet(data, instance=filing, prefix="lower")
    coverage = [CoverageForm(data, row=row) for row in filing.coverage.select_related("item")]
    return header, formset, coverage


@require_http_methods(["GET", "POST"])
@login_required
def filing_lower(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=request.method == "POST")
    data = request.POST or None
    header, formset, coverage = _lower_forms(data, filing)
    valid = all([header.is_valid(), formset.is_valid(), *[form.is_valid() for form in coverage]])
    if request.method == "POST" and valid:
        try:
            services.save_lower_aggregators(
                filing=filing,
                actor=request.user,
                uses=header.cleaned_data["uses_lower_aggregators"],
                aggregators=formset.rows_to_save(),
                removed=formset.removed_ids(),
                coverage={form.row.item_id: form.cleaned_data for form in coverage},
                version=header.cleaned_data["version"],
                ip_address=client_ip(request),
            )
        except (services.StaleEdit, IntegrityError):
            header.add_error(None, STALE_SECTION)
        else:
            messages.success(request, _("The lower-level aggregator section was saved."))
            return redirect("filings:filing_lower", filing.pk)
    uncovered = [form.row.item for form in coverage if not form.row.covered]
    context = {
        "filing": filing,
        "header": header,
        "formset": formset,
        "coverage": coverage,
        "uncovered": uncovered,
        "lower_files": filing.evidence_files.filter(kind__in=LOWER_EVIDENCE),
    }
    return render(request, "filings/filing_lower.html", context, status=400 if data else 200)


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def filing_submit(request, pk):
    # A second click (or a second officer) after the filing went in is told so by the service.
    filing = get_filing_for_user(request.user, pk, for_edit=request.method != "POST")
    if request.method == "POST":
        return _submit(request, filing)
    return _confirm_page(request, filing, SubmitForm())


@require_POST
@login_required
@aggregator_required
def filing_handoff(request, pk):
    """確認依頼 by staff, or 差戻し with a comment by an officer, from the confirmation page."""
    filing = get_filing_for_user(request.user, pk)
    form = HandoffForm(request.POST)
    if form.is_valid():
        back = form.cleaned_data["action"] == HandoffForm.SEND_BACK
        service = services.send_back if back else services.request_submission
        try:
            service(
                filing=filing,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                ip_address=client_ip(request),
            )
        except services.AlreadySubmitted:
            messages.info(request, _("This filing has already been submitted."))
            return redirect("filings:filing_detail", filing.pk)
        except ValidationError as error:
            form.add_error("comment", error)
        else:
            messages.success(request, HANDOFF_DONE[back])
            return redirect("filings:filing_detail", filing.pk)
    return _confirm_page(request, filing, SubmitForm(), handoff=form, status=400)


HANDOFF_DONE = {
    False: gettext_lazy("Sent to your officers to check and submit; they were notified."),
    True: gettext_lazy("Sent back with your comment; the person who asked was notified."),
}


def _confirm_page(request, filing, form, *, handoff=None, status=200):
    context = {
        "filing": filing,
        "form": form,
        "handoff_form": handoff or HandoffForm(),
        "assessment": assess(filing),
        "outcome": draft_outcome(filing, user=request.user),
        "sections": section_progress(filing),
        "change_list": _draft_changes(filing, request.user),
    }
    return render(request, "filings/filing_confirm.html", context, status=status)


def _draft_changes(filing, user):
    """The change list of a change-notification draft against the filing it amends (or None)."""
    compared = change_notification_changes(filing, user)
    return compared[2] if compared else None


@officer_required
def _submit(request, filing):
    form = SubmitForm(request.POST)
    if filing.is_draft and not form.is_valid():  # the attestation is required, not just ticked
        return _confirm_page(request, filing, form, status=400)
    try:
        submission = services.submit_filing(
            filing=filing, actor=request.user, ip_address=client_ip(request)
        )
    except services.AlreadySubmitted:
        messages.info(request, _("This filing has already been submitted."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("filings:filing_submit", filing.pk)
    else:
        messages.success(
            request,
            _("Submitted. Receipt number: %(number)s") % {"number": submission.receipt_number},
        )
    return redirect("filings:filing_detail", filing.pk)


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def change_notification_start(request, pk):
    """GET asks to confirm what starting one means; POST starts it."""
    filing = get_filing_for_user(request.user, pk)
    if request.method == "GET" and filing.is_draft:
        return redirect(filing)  # nothing to amend yet
    if request.method == "GET":
        return render(request, "filings/filing_change_confirm.html", {"filing": filing})
    try:
        draft = services.start_change_notification(
            filing=filing, actor=request.user, ip_address=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("filings:filing_detail", filing.pk)
    messages.success(request, _("A change notification was started from the submitted filing."))
    return redirect("filings:filing_checklist", draft.pk)


@require_safe
@login_required
def filing_changes(request, pk):
    """変更内容: a change notification against the filing it amends; a draft as it stands now."""
    filing = get_filing_for_user(request.user, pk)
    compared = change_notification_changes(filing, request.user)
    if compared is None:
        return redirect("filings:filing_detail", filing.pk)
    old, new, changes = compared
    context = {"filing": filing, "old": old, "new": new, "changes": changes}
    return render(request, "filings/filing_changes.html", context)
