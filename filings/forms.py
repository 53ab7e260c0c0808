from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from filings.models import TEXT_LIMIT, Answer, Evidence, Filing, LowerAggregator
from filings.services import AnswerEdit
from filings.uploads import inspect_upload
from legal.models import NotifiedMatter

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO_UNANSWERED = [("", _("Not answered")), ("True", _("Yes")), ("False", _("No"))]


def uses_lower_field():
    # Values are str(bool) so that a saved True/False shows as selected.
    return forms.TypedChoiceField(
        label=_("Do you use lower-level aggregators?"),
        choices=YES_NO_UNANSWERED,
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )


class FilingHeaderForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    uses_lower_aggregators = uses_lower_field()

    class Meta:
        model = Filing
        fields = Filing.HEADER_FIELDS
        widgets = {"planned_start_date": DATE_INPUT}
        help_texts = {
            "expected_capacity_kw": _(
                "A filing is said to be required above 1,000 kW (to be confirmed: this threshold "
                "is not in the criterion document)."
            ),
            "planned_start_date": _(
                "Business is said to be allowed to start only once 30 days have passed from the "
                "acceptance date, the first day not counted (to be confirmed: this period is not "
                "in the criterion document)."
            ),
        }


class ChangedMattersForm(forms.Form):
    matters = forms.ModelMultipleChoiceField(
        label=_("Notified matters that change (Article 27-30(1) of the Electricity Business Act)"),
        queryset=NotifiedMatter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["matters"]
        field.queryset = NotifiedMatter.objects.current()  # type: ignore[attr-defined]
        field.label_from_instance = matter_label  # type: ignore[attr-defined]


def matter_label(matter: NotifiedMatter) -> str:
    regime = _("in advance") if matter.regime == "advance" else _("after the fact")
    label = f"{matter.label} {matter.title_in_language}（{regime}）"
    if matter.holds_self_assessment:
        label += str(_(" — includes the cybersecurity self-assessment (to be confirmed)"))
    return label


STATUS_CHOICES = [("", _("Not answered")), *Answer.Status.choices]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_CHOICES,
        required=False,
    )
    implementation = forms.CharField(
        label=_("How it is implemented"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for implemented and partially implemented."),
    )
    justification = forms.CharField(
        label=_("Justification for not applicable"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Required for not applicable."),
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For partial or not implemented."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, answer: Answer, **kwargs):
        self.answer = answer
        self.conflict: Answer | None = None  # the colleague's version, after a stale save
        self.expected: list = []  # what the filing rules make of the saved answer (page-only)
        self.saved = False  # just saved without script: the card says so (page-only)
        kwargs.setdefault("prefix", f"item-{answer.item_id}")
        kwargs.setdefault(
            "initial",
            {
                "status": answer.status,
                "implementation": answer.implementation,
                "justification": answer.justification,
                # ISO text, as a date input sends it: the plain template prints values as given.
                "target_date": answer.target_date.isoformat() if answer.target_date else "",
                "version": answer.version,
                "digest": answer.content_digest(),
            },
        )
        super().__init__(*args, **kwargs)
        if not self.allows_not_applicable:
            # Not offered where the catalogue forbids it (kept only to show a saved one as it is).
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)  # declared above
            status.choices = [
                (value, label)
                for value, label in STATUS_CHOICES
                if value != Answer.Status.NOT_APPLICABLE
                or answer.status == Answer.Status.NOT_APPLICABLE
            ]

    @property
    def allows_not_applicable(self) -> bool:
        """該当なし is allowed by the catalogue, and not ruled out by the use of lower-level
        aggregators (the requirement item then has to be answered)."""
        item = self.answer.item
        if item.lower_aggregator_requirement and self.answer.filing.uses_lower_aggregators:
            return False
        return item.allows_not_applicable

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Answer.Status.NOT_APPLICABLE and not self.allows_not_applicable:
            raise ValidationError(
                _("This item cannot be answered “not applicable”: choose another status."),
                code="not_applicable_forbidden",
            )
        return status

    def clean(self):
        # The hidden fields are not shown with errors of their own: say what happened instead.
        if "version" in self.errors or "digest" in self.errors:
            raise ValidationError(
                _("The form was incomplete or altered. Reload the page and enter it again."),
                code="tampered",
            )
        return super().clean()

    @classmethod
    def after_conflict(cls, data, *, current: Answer) -> "AnswerForm":
        """Keep what the user typed, show the colleague's version, and let a resave win."""
        data = data.copy()
        prefix = f"item-{current.item_id}"
        data[f"{prefix}-version"] = current.version
        data[f"{prefix}-digest"] = current.content_digest()
        form = cls(data, answer=current)
        form.is_valid()
        form.conflict = current
        form.add_error(
            None,
            _(
                "Someone else saved this item after you opened the page. Their version is "
                "shown below; your text is kept. Save again to replace theirs with yours."
            ),
        )
        return form

    def to_edit(self) -> AnswerEdit:
        data = self.cleaned_data
        return AnswerEdit(
            item_id=self.answer.item_id,
            values={name: data[name] for name in AnswerEdit.FIELDS},
            version=data["version"],
            digest=data["digest"],
        )


ID_MAX = 2**63 - 1  # the largest id a (big) integer column holds


def is_row_id(value) -> bool:
    """Could this be a row's id? Checked before a query: SQLite cannot even bind an integer
    over 64 bits (an OverflowError, so a server error, for a forged 20-digit choice)."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= ID_MAX


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_row_id(value):
            message = self.error_messages["invalid_choice"]
            raise ValidationError(message, code="invalid_choice", params={"value": value})
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            if not is_row_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs


class AnswerMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Answer) -> str:
        return f"{obj.item.code} {obj.item.title}"


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("What the file is"), choices=Evidence.Kind.choices)
    answers = AnswerMultipleChoiceField(
        label=_("Items this file supports"),
        queryset=Answer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, filing: Filing, **kwargs):
        super().__init__(*args, **kwargs)
        answers = self.fields["answers"]
        assert isinstance(answers, AnswerMultipleChoiceField)  # declared above
        answers.queryset = filing.answers.select_related("item").order_by(
            "item__category__order", "item__order"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.inspected = inspect_upload(upload)
        return upload


class LowerAggregatorForm(forms.ModelForm):
    class Meta:
        model = LowerAggregator
        fields = ["name", "corporate_number", "contract_date"]
        widgets = {"contract_date": DATE_INPUT}


class BaseLowerAggregatorFormSet(forms.BaseInlineFormSet):
    def rows_to_save(self) -> list[dict]:
        return [
            {
                "id": form.instance.pk,
                **{name: form.cleaned_data[name] for name in LowerAggregatorForm.Meta.fields},
            }
            for form in self.forms
            if form.has_changed() and form not in self.deleted_forms
        ]

    def removed_ids(self) -> list[int]:
        return [form.instance.pk for form in self.deleted_forms if form.instance.pk]


LowerAggregatorFormSet = forms.inlineformset_factory(
    Filing,
    LowerAggregator,
    form=LowerAggregatorForm,
    formset=BaseLowerAggregatorFormSet,
    extra=1,
    can_delete=True,
    max_num=200,
)


class LowerUseForm(forms.Form):
    uses_lower_aggregators = uses_lower_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CoverageForm(forms.Form):
    covered = forms.BooleanField(label=_("An equivalent requirement is imposed"), required=False)
    clause_reference = forms.CharField(
        label=_("Where (clause reference)"), max_length=200, required=False
    )

    def __init__(self, *args, row, **kwargs):
        self.row = row
        kwargs.setdefault("prefix", f"coverage-{row.item_id}")
        kwargs.setdefault(
            "initial", {"covered": row.covered, "clause_reference": row.clause_reference}
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("covered") and not cleaned.get("clause_reference"):
            self.add_error("clause_reference", _("Say where your requirement document imposes it."))
        return cleaned


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("The filled-in workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload the .xlsx workbook downloaded from this page."))
        inspect_upload(upload)  # size, content type, active content, expansion, malware
        upload.seek(0)
        return upload


class SubmitForm(forms.Form):
    """The officer's attestation on the confirmation page: submitting needs it ticked."""

    confirm = forms.BooleanField(
        label=_(
            "I confirm this filing on behalf of the company. After submission it cannot be "
            "changed; changes need a change notification."
        ),
        error_messages={"required": _("Tick the confirmation to submit the filing.")},
    )


class HandoffForm(forms.Form):
    """確認依頼 (staff ask an officer to check and submit) or 差戻し (the officer sends it back)."""

    REQUEST, SEND_BACK = "request", "send_back"
    action = forms.ChoiceField(choices=[(REQUEST, REQUEST), (SEND_BACK, SEND_BACK)])
    comment = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
