import unicodedata

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from checklists.models import Catalogue, Item
from filings.forms import DATE_INPUT, IdChoiceField, IdMultipleChoiceField
from filings.models import Submission
from filings.uploads import inspect_upload
from reviews.models import (
    FINAL_DECISIONS,
    Flag,
    IncidentReport,
    Review,
    order_window_end_expression,
)
from reviews.services import check_determination

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

SORTS = {
    "deadline": ("deadline", "id"),
    "-received": ("-received_at", "-id"),
    "-candidates": ("-open_candidates", "deadline", "id"),
    "company": ("filing__organisation__name", "deadline", "id"),
    "window": (order_window_end_expression().asc(), "id"),  # days left in the order window
}


COMPANY_SEARCH_MAX_LENGTH = 200  # no company name is longer (Organisation.name)


class SearchField(forms.CharField):
    """Free text for a search: NUL characters removed (PostgreSQL rejects them), ends trimmed."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\x00", "").strip() if text else text


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


SEARCH_IGNORED = {"・", "·", "•"}  # a name's middle dots are written or left out at will


def search_key(text: str) -> str:
    """A company name as searched: NFKC (half-width kana and full-width letters become the usual
    ones), case-folded, without spaces or middle dots."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in normal if not char.isspace() and char not in SEARCH_IGNORED)


def corporate_number_prefix(text: str) -> str | None:
    """The digits of a (partial) 法人番号, full-width or with separators, or None if not one."""
    digits = unicodedata.normalize("NFKC", text).replace("-", "").replace(" ", "")
    return digits if digits.isascii() and digits.isdigit() and len(digits) <= 13 else None


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Review.Status.choices, empty_label=_("All statuses")
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="filter_mine", widget=forms.CheckboxInput
    )
    has_candidates = django_filters.BooleanFilter(
        label=_("Has open candidates"), method="filter_candidates", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("Order window closed"), method="filter_overdue", widget=forms.CheckboxInput
    )
    in_procedure = django_filters.BooleanFilter(
        label=_("In order procedure"), method="filter_in_procedure", widget=forms.CheckboxInput
    )
    # A search, not a list of companies: the page must not grow with their number.
    company = SearchFilter(
        label=_("Aggregator name or corporate number"),
        method="filter_company",
        max_length=COMPANY_SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = django_filters.CharFilter(
        label=_("Open candidates in the category"),
        method="filter_category",
        widget=forms.HiddenInput,  # set by the dashboard's links, shown as a removable badge
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=_("Deadline (soonest first)"),
        choices=[
            ("-received", _("Received (newest first)")),
            ("-candidates", _("Open candidates (most first)")),
            ("company", _("Aggregator")),
            ("window", _("Days left in the order window (fewest first)")),
        ],
    )

    class Meta:
        model = Review
        fields = ["status"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset

    def filter_company(self, queryset, name, value):
        if not value:
            return queryset
        # Companies first (a few thousand rows), then their reviews through the filing's index.
        # Names are compared as normalised in Python: the databases have no NFKC of their own.
        key = search_key(value)
        aggregators = Organisation.objects.filter(kind=Organisation.Kind.AGGREGATOR)
        ids = [pk for pk, name in aggregators.values_list("pk", "name") if key in search_key(name)]
        matches = Q(pk__in=ids)
        digits = corporate_number_prefix(value)
        if digits:
            matches |= Q(corporate_number__startswith=digits)
        return queryset.filter(filing__organisation__in=Organisation.objects.filter(matches))

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        flags = Flag.objects.open_candidates().with_category().filter(category=value)
        return queryset.filter(pk__in=flags.values("review_id"))

    def filter_in_procedure(self, queryset, name, value):
        # The case is the orders app's (above this one): reached by its reverse name only.
        return queryset.filter(order_case__status="open") if value else queryset

    def filter_candidates(self, queryset, name, value):
        return queryset.filter(open_candidates__gt=0) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["deadline"]))


class AssignForm(forms.Form):
    assignee = IdChoiceField(
        label=_("Assignee"),
        queryset=User.objects.reviewers(),
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
        help_text=_("Required when withdrawing."),
    )
    question = forms.CharField(
        label=_("Question to the filer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = forms.DateField(label=_("Answer by"), required=False, widget=DATE_INPUT)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        decision = cleaned.get("decision")
        if decision == Flag.Decision.WITHDRAW and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for withdrawing the flag."))
        if decision == Flag.Decision.INQUIRE:
            if not cleaned.get("question", "").strip():
                self.add_error("question", _("Write the question to the filer."))
            due = cleaned.get("due_date")
            if due is None:
                self.add_error("due_date", _("Set the date the answer is due."))
            elif due < timezone.localdate():
                self.add_error("due_date", _("The due date cannot be in the past."))
        return cleaned


class BulkDecisionForm(forms.Form):
    """The same decision and reason for the flags ticked on the review page."""

    flags = IdMultipleChoiceField(
        label=_("Flags"),
        queryset=Flag.objects.none(),
        error_messages={"required": _("Tick the flags to decide.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision for the ticked flags"),
        choices=[(Flag.Decision.UPHOLD, _("Uphold")), (Flag.Decision.WITHDRAW, _("Withdraw"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (for every ticked flag)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when withdrawing."),
    )
    error_anchors = {"flags": "bulk-decide"}  # the ticks are on the flags; the summary links here

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        flags = self.fields["flags"]
        assert isinstance(flags, IdMultipleChoiceField)  # declared above
        # Reference findings too: they are noted (upheld or withdrawn) like the others.
        flags.queryset = review.flags.exclude(decision__in=FINAL_DECISIONS)

    def clean(self):
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") == Flag.Decision.WITHDRAW
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give a reason for withdrawing the flag."))
        return cleaned


def no_order_label(flag: Flag) -> str:
    """The reason field against one upheld candidate: the order its kind leads to, and what it is
    on (an item, or the whole filing or incident report)."""
    if flag.item_code:
        what = flag.item_code
    elif flag.incident_id:
        what = str(_("the whole security incident report"))
    else:
        what = str(_("the whole filing"))
    if flag.kind == Flag.Kind.IMPROVEMENT_ORDER:
        text = _("Why no business-improvement order despite the candidate on %(what)s")
    else:
        text = _("Why no change order despite the candidate on %(what)s")
    return text % {"what": what}


class DeterminationForm(forms.Form):
    """The lead's determination; one reason field per upheld candidate, needed for "no order"."""

    determination = forms.ChoiceField(
        label=_("Determination"), choices=Review.Determination.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reasons"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    # Set by the confirmation page's button: a determination is recorded only once confirmed.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, upheld=(), choices=None, flags=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.flags = flags  # given, the determination is checked against them before confirming
        if choices is not None:
            determination = self.fields["determination"]
            assert isinstance(determination, forms.ChoiceField)  # declared above
            determination.choices = choices
        self.upheld = list(upheld)
        for flag in self.upheld:
            self.fields[f"no_order_reason_{flag.pk}"] = forms.CharField(
                label=no_order_label(flag),
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean() or {}
        if self.flags is not None and not self.errors:
            try:
                check_determination(
                    self.flags,
                    no_order=cleaned["determination"] == Review.Determination.NO_ORDER,
                    reason=cleaned["reason"],
                    no_order_reasons=self.no_order_reasons,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def reason_fields(self):
        return [self[f"no_order_reason_{flag.pk}"] for flag in self.upheld]

    @property
    def no_order_reasons(self) -> dict[int, str]:
        return {f.pk: self.cleaned_data.get(f"no_order_reason_{f.pk}", "") for f in self.upheld}


class AcceptanceForm(forms.Form):
    accepted_on = forms.DateField(label=_("Acceptance date"), widget=DATE_INPUT)


class PeriodChangeForm(forms.Form):
    """The lead's shortening (第4項) or extension (第6項): the new last day and the reason the
    notice to the filer states."""

    new_end = forms.DateField(label=_("New last day of the period"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason (stated in the notice to the filer)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
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


class ItemMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return f"{obj.code} {obj.title}"


def declared_lower_aggregators(organisation_id) -> list[str]:
    """The lower-level aggregators the company declared in its latest submitted filing."""
    latest = (
        Submission.objects.filter(filing__organisation_id=organisation_id)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if latest is None:
        return []
    return [entry["name"] for entry in latest.snapshot["lower_aggregators"]["aggregators"]]


class IncidentForm(forms.ModelForm):
    # One of those declared in the latest filing, not free text: the report and the filing must
    # name the same company.
    lower_aggregator_name = forms.ChoiceField(
        label=_("lower-level aggregator concerned"),
        required=False,
        help_text=_(
            "Only when it occurred at a lower-level aggregator: one of those declared in "
            "your latest filing."
        ),
    )
    related_items = ItemMultipleChoiceField(
        label=_("Related checklist items"),
        queryset=Item.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = IncidentReport
        fields = [
            "occurred_at",
            "detected_at",
            "contained_at",
            "location",
            "lower_aggregator_name",
            "summary",
            "affected_systems",
            "supply_impact",
            "capacity_affected_kw",
            "notified_parties",
        ]
        widgets = {
            "occurred_at": DATETIME_INPUT,
            "detected_at": DATETIME_INPUT,
            "contained_at": DATETIME_INPUT,
            "location": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "affected_systems": forms.Textarea(attrs={"rows": 2}),
            "supply_impact": forms.RadioSelect,
            "notified_parties": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "contained_at": _("Leave empty if it is not contained yet."),
            "notified_parties": _(
                "E.g. the general transmission and distribution operator, customers, the police."
            ),
        }

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        declared = declared_lower_aggregators(organisation_id)
        lower = self.fields["lower_aggregator_name"]
        assert isinstance(lower, forms.ChoiceField)  # declared above
        lower.choices = [("", _("Choose from your filing")), *((name, name) for name in declared)]
        if not declared:
            lower.help_text = _(
                "Your latest filing declares no lower-level aggregator: declare it by a change "
                "notification, and say in the summary where it occurred."
            )
        catalogue = Catalogue.objects.current()
        items = catalogue.items.in_sections() if catalogue else Item.objects.none()
        related_items = self.fields["related_items"]
        assert isinstance(related_items, ItemMultipleChoiceField)  # declared above
        related_items.queryset = items
        impact = self.fields["supply_impact"]
        assert isinstance(impact, forms.TypedChoiceField)  # a model field with choices
        impact.choices = IncidentReport.SupplyImpact.choices  # no empty "select" radio

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        now = timezone.now()
        times = [cleaned.get(name) for name in ("occurred_at", "detected_at", "contained_at")]
        for name, value in zip(("occurred_at", "detected_at", "contained_at"), times, strict=True):
            if value and value > now:
                self.add_error(name, _("This time cannot be in the future."))
        occurred, detected, contained = times
        if occurred and detected and detected < occurred:
            self.add_error("detected_at", _("Detection cannot precede the incident."))
        if detected and contained and contained < detected:
            self.add_error("contained_at", _("Containment cannot precede detection."))
        lower = cleaned.get("location") == IncidentReport.Location.LOWER
        name = (cleaned.get("lower_aggregator_name") or "").strip()
        if lower and not name:
            self.add_error(
                "lower_aggregator_name", _("Choose the lower-level aggregator where it occurred.")
            )
        if not lower:
            cleaned["lower_aggregator_name"] = ""
        return cleaned
