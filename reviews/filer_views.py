"""Pages the filer uses: answering inquiries and reporting incidents (regulators read them too)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import aggregator_required, client_ip, review_lead_required
from accounts.models import AuditAction
from accounts.services import record_access
from reviews import services, views
from reviews.access import get_incident_for_user, get_inquiry_for_user
from reviews.forms import DecisionForm, IncidentForm, InquiryAnswerForm
from reviews.models import IncidentReport


@require_http_methods(["GET", "POST"])
@login_required
def inquiry_detail(request, pk):
    inquiry = get_inquiry_for_user(request.user, pk)
    form = None
    if request.user.is_aggregator_user and not inquiry.is_answered:
        form = InquiryAnswerForm(request.POST or None, request.FILES or None)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the filer can answer, and only once."))
    if form is not None and form.is_valid():
        try:
            services.answer_inquiry(
                inquiry=inquiry,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                upload=form.cleaned_data["file"],
                inspected=form.inspected,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect(inquiry)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reviews/inquiry_detail.html", {"inquiry": inquiry, "form": form}, status=status
    )


@require_safe
@login_required
def inquiry_attachment(request, pk):
    inquiry = get_inquiry_for_user(request.user, pk)
    if not inquiry.attachment:
        raise Http404
    record_access(request=request, action=AuditAction.INQUIRY_DOWNLOAD, target=inquiry)
    return FileResponse(
        inquiry.attachment.open("rb"), as_attachment=True, filename=inquiry.attachment_name
    )


@require_safe
@login_required
def incident_list(request):
    incidents = IncidentReport.objects.select_related("organisation").order_by(
        "-reported_at", "-id"
    )
    if request.user.is_aggregator_user:
        incidents = incidents.filter(organisation_id=request.user.organisation_id)
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    return render(request, "reviews/incidentreport_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def incident_create(request):
    form = IncidentForm(request.POST or None, organisation_id=request.user.organisation_id)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in IncidentForm.Meta.fields}
        incident = services.file_incident_report(
            actor=request.user,
            fields=fields,
            related_items=list(form.cleaned_data["related_items"]),
            ip_address=client_ip(request),
        )
        messages.success(request, _("The incident report was filed."))
        return redirect(incident)
    return render(
        request,
        "reviews/incidentreport_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def incident_page(request, incident, *, determination=None, status=200):
    """The incident report and its flags; a determination form coming back is shown bound."""
    flags = list(views.flags_with_inquiries(incident.flags.all()))
    forms = {flag.pk: DecisionForm(prefix=f"flag-{flag.pk}") for flag in flags}
    context = {
        "incident": incident,
        "related": incident.related_items.order_by("order"),
        "flags": [(flag, forms[flag.pk]) for flag in flags],
        "can_decide": request.user.is_regulator_user and not incident.is_decided,
        "undecided": views.undecided(flags),
        "upheld": [flag for flag in flags if flag.is_upheld_candidate],
        "determination_form": determination or views.incident_determination_form(incident),
    }
    return render(request, "reviews/incidentreport_detail.html", context, status=status)


@require_safe
@login_required
def incident_detail(request, pk):
    return incident_page(request, get_incident_for_user(request.user, pk))


@require_POST
@login_required
@review_lead_required
def incident_determine(request, pk):
    incident = get_incident_for_user(request.user, pk)
    form = views.incident_determination_form(incident, request.POST)
    record = partial(services.determine_incident, incident=incident)
    page = partial(incident_page, request, incident)
    return views.determine(request, form, incident, record=record, page=page)
