"""Input of each step; the services check the law, the forms check the shape."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import Filing
from filings.uploads import inspect_upload
from orders.models import Appeal, FollowUp, OrderCase

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several attachments at once, each inspected like evidence (type, content, size, scan)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [(upload, inspect_upload(super(MultipleFileField, self).clean(upload, initial)))
                for upload in uploads]  # fmt: skip


class ProcedureForm(forms.Form):
    prefix = "procedure"
    kind = forms.ChoiceField(label=_("Intended order"), choices=OrderCase.Kind.choices)
    procedure = forms.ChoiceField(
        label=_("Choice of procedure"),
        choices=OrderCase.Procedure.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for the procedure"), max_length=2000, widget=TEXT)
    representative = forms.CharField(label=_("Representative of the addressee"), max_length=100)
    internal_notes = forms.CharField(
        label=_("Internal notes (regulator only)"), max_length=4000, widget=TEXT, required=False
    )

    def __init__(self, *args, case: OrderCase, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            (value, label)
            for value, label in OrderCase.Kind.choices
            if (value == "improvement_order") == (case.review_id is None)
        ]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class ProcedureNoticeForm(forms.Form):
    prefix = "notice"
    disposition = forms.CharField(label=_("Intended disposition"), max_length=4000, widget=TEXT)
    reasons = forms.CharField(
        label=_("Facts causing it (besides the upheld candidates listed)"),
        max_length=8000,
        widget=TEXT,
        required=False,
    )
    due_on = forms.DateField(label=_("Submit the written explanation by"), widget=DATE_INPUT)
    place = forms.CharField(
        label=_("Where to submit it (or the place of the hearing)"), max_length=300
    )
    hearing_at = forms.DateTimeField(
        label=_("Date and time of the hearing"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class OrderForm(forms.Form):
    prefix = "order"
    disposition = forms.CharField(
        label=_("Operative part (what must change)"), max_length=4000, widget=TEXT
    )
    due_on = forms.DateField(label=_("Comply by"), widget=DATE_INPUT)
    reasons = forms.CharField(
        label=_("Reasons (facts and the criterion applied)"), max_length=8000, widget=TEXT
    )


class ClosingForm(forms.Form):
    prefix = "closing"
    disposition = forms.CharField(
        label=_("What the notice says"),
        max_length=4000,
        widget=TEXT,
        initial=_("No order will be issued in this matter."),
    )
    reasons = forms.CharField(label=_("Reasons for closing without an order"), max_length=8000,
                              widget=TEXT)  # fmt: skip


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Date of arrival"), widget=DATE_INPUT)
    published_on = forms.DateField(label=_("Date published (optional)"), widget=DATE_INPUT,
                                   required=False)  # fmt: skip


class ExplanationForm(forms.Form):
    text = forms.CharField(label=_("Written explanation"), max_length=20000, widget=TEXT,
                           required=False)  # fmt: skip
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)
    declined = forms.BooleanField(
        label=_("We will not submit a written explanation"), required=False
    )


class PaperExplanationForm(forms.Form):
    prefix = "paper"
    received_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    text = forms.CharField(label=_("Summary of the document received"), max_length=20000,
                           widget=TEXT)  # fmt: skip
    attachments = MultipleFileField(label=_("Scanned document"), required=False)


class OpinionForm(forms.Form):
    prefix = "opinion"
    requested_on = forms.DateField(label=_("Opinion requested on"), widget=DATE_INPUT)
    opinion = forms.CharField(label=_("Opinion of the Commission"), max_length=8000, widget=TEXT,
                              required=False)  # fmt: skip
    arrived_on = forms.DateField(label=_("Opinion arrived on"), widget=DATE_INPUT, required=False)
    published_on = forms.DateField(label=_("Published by the Commission on"), widget=DATE_INPUT,
                                   required=False)  # fmt: skip
    released = forms.BooleanField(label=_("Show the opinion to the filer"), required=False)


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Content"), max_length=20000, widget=TEXT, required=False)
    filing = forms.ModelChoiceField(
        label=_("Change notification answering the order"),
        queryset=Filing.objects.none(),
        required=False,
    )

    def __init__(self, *args, follow_up: FollowUp, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["filing"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        if follow_up.kind == FollowUp.Kind.CHANGE_NOTIFICATION:
            field.queryset = Filing.objects.filter(
                organisation_id=follow_up.case.organisation_id, kind="change", status="submitted"
            ).order_by("-pk")
        else:
            del self.fields["filing"]


class FollowUpDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept the submission")), ("0", _("Return it to the filer"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the filer"), max_length=4000, widget=TEXT, required=False
    )


class AppealForm(forms.ModelForm):
    prefix = "appeal"

    class Meta:
        model = Appeal
        fields = ["kind", "received_on", "status", "outcome"]
        widgets = {"received_on": DATE_INPUT, "outcome": TEXT}


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("We accept formal notices in the portal and by e-mail"), required=False
    )
    email = forms.EmailField(label=_("E-mail address for notices"), required=False)
