from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consultations.models import CommentPeriod, Opinion

TEXT_LIMIT = 4000


class _ItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title_ja}"


def _items_field(period: CommentPeriod, label) -> _ItemsField:
    return _ItemsField(
        queryset=period.catalogue.items.in_sections(),
        required=False,
        label=label,
        widget=forms.CheckboxSelectMultiple,
    )


class OpinionForm(forms.Form):
    """An aggregator user's opinion; no item chosen means the whole draft."""

    body = forms.CharField(label=_("opinion"), widget=forms.Textarea, max_length=TEXT_LIMIT)
    consents_to_name = forms.BooleanField(
        label=_("Our company's name may be shown in the published table"), required=False
    )

    def __init__(self, *args, period: CommentPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"] = _items_field(
            period, _("Items it concerns (none chosen: the whole draft)")
        )


class RecordedOpinionForm(OpinionForm):
    """An opinion from another channel, recorded by the regulator."""

    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[c for c in Opinion.Channel.choices if c[0] != Opinion.Channel.PORTAL],
    )
    received_on = forms.DateField(
        label=pgettext_lazy("opinion", "received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitter_name = forms.CharField(label=_("submitter"), max_length=200)
    field_order = ["channel", "received_on", "submitter_name", "consents_to_name", "body"]

    def __init__(self, *args, period: CommentPeriod, **kwargs):
        super().__init__(*args, period=period, **kwargs)
        self.fields["consents_to_name"].label = _("The submitter agrees to be named")

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                pgettext_lazy("opinion", "The date received cannot be in the future.")
            )
        return value


class ResponseForm(forms.Form):
    opinions = forms.MultipleChoiceField(
        label=_("Opinions this response answers"), widget=forms.CheckboxSelectMultiple
    )
    body = forms.CharField(
        label=_("response (考え方)"), widget=forms.Textarea, max_length=TEXT_LIMIT
    )
    changes_draft = forms.BooleanField(label=_("the draft was changed"), required=False)

    def __init__(self, *args, period: CommentPeriod, opinions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].choices = [  # type: ignore[attr-defined]
            (str(opinion.pk), _("Opinion %(n)d") % {"n": number})
            for number, opinion in enumerate(opinions, start=1)
        ]
        self.fields["changed_items"] = _items_field(period, _("items changed"))

    def clean(self):
        data = super().clean() or {}
        if data.get("changes_draft") and not data.get("changed_items"):
            self.add_error("changed_items", _("Name the items the response changed in the draft."))
        return data
