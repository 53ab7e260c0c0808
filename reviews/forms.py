import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checklists.models import Catalogue, Item
from filings.forms import DATE_INPUT
from filings.uploads import inspect_upload
from portal.models import Organisation, Role, User
from reviews.models import Flag, IncidentReport, Review

SORTS = {
    "deadline": ("deadline", "id"),
    "-received": ("-received_at", "-id"),
    "-candidates": ("-open_candidates", "deadline", "id"),
    "company": ("filing__organisation__name", "deadline", "id"),
}


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Review.Status.choices)
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="filter_mine", widget=forms.CheckboxInput
    )
    has_candidates = django_filters.BooleanFilter(
        label=_("Has open candidates"), method="filter_candidates", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    company = django_filters.ModelChoiceFilter(
        label=_("Aggregator"),
        field_name="filing__organisation",
        queryset=Organisation.objects.filter(kind="aggregator"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=_("Deadline (soonest first)"),
        choices=[
            ("-received", _("Received (newest first)")),
            ("-candidates", _("Open candidates (most first)")),
            ("company", _("Aggregator")),
        ],
    )

    class Meta:
        model = Review
        fields = ["status", "company"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset

    def filter_candidates(self, queryset, name, value):
        return queryset.filter(open_candidates__gt=0) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["deadline"]))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.filter(role__in=[Role.REVIEWER, Role.REVIEW_LEAD], is_active=True),
        required=False,
        empty_label=_("Unassigned"),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Flag.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when dismissing."),
    )
    question = forms.CharField(
        label=_("Question to the filer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = forms.DateField(label=_("Answer by"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == Flag.Decision.DISMISS and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for dismissing the flag."))
        if decision == Flag.Decision.INQUIRE:
            if not cleaned.get("question", "").strip():
                self.add_error("question", _("Write the question to the filer."))
            due = cleaned.get("due_date")
            if due is None:
                self.add_error("due_date", _("Set the date the answer is due."))
            elif due < timezone.localdate():
                self.add_error("due_date", _("The due date cannot be in the past."))
        return cleaned


class DeterminationForm(forms.Form):
    determination = forms.ChoiceField(
        label=_("Determination"), choices=Review.Determination.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reasons"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InquiryAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    file = forms.FileField(label=_("Evidence (optional)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.inspected = inspect_upload(upload) if upload else None
        return upload


class IncidentForm(forms.ModelForm):
    related_items = forms.ModelMultipleChoiceField(
        label=_("Related checklist items"),
        queryset=Item.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = IncidentReport
        fields = ["occurred_at", "summary", "affected_systems", "supply_impact"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "affected_systems": forms.Textarea(attrs={"rows": 2}),
            "supply_impact": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        catalogue = Catalogue.objects.current()
        items = (
            catalogue.items.order_by("category__order", "order")
            if catalogue
            else Item.objects.none()
        )
        self.fields["related_items"].queryset = items
        self.fields["related_items"].label_from_instance = lambda item: f"{item.code} {item.title}"

    def clean_occurred_at(self):
        occurred = self.cleaned_data["occurred_at"]
        if occurred > timezone.now():
            raise forms.ValidationError(_("The incident cannot be in the future."))
        return occurred


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Report (PDF)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large to verify (50 MB at most)."))
        if not upload.read(5).startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        upload.seek(0)
        return upload
