"""The outcome of a post where the user lands: an error summary at the top of the page that links
to each field in error (static/js/outcome.js moves focus to it)."""

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()

MULTI_INPUT = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _anchor(form, name: str) -> str:
    """The id of the control to jump to: a form may name its own (``error_anchors``), a group of
    radio buttons or checkboxes is reached at its first one."""
    anchors = getattr(form, "error_anchors", {})
    if name in anchors:
        return anchors[name]
    field = form[name]
    if isinstance(field.field.widget, forms.HiddenInput):
        return ""
    if isinstance(field.field.widget, MULTI_INPUT):
        return f"{field.auto_id}_0"
    return field.auto_id


def _entries(form) -> list[dict]:
    if hasattr(form, "forms"):  # a formset: its own errors, then each form's
        entries = [{"href": "", "text": str(error)} for error in form.non_form_errors()]
        for member in form.forms:
            entries.extend(_entries(member))
        return entries
    entries = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            entries.extend({"href": "", "text": str(error)} for error in errors)
            continue
        label = form.fields[name].label or name
        anchor = _anchor(form, name)
        for error in errors:
            entries.append({"href": f"#{anchor}" if anchor else "", "text": f"{label}: {error}"})
    return entries


@register.inclusion_tag("portal/error_summary.html")
def error_summary(*forms_with_errors) -> dict:
    """Every error of the bound forms given (None and unbound forms are skipped)."""
    entries = []
    for form in forms_with_errors:
        if form is not None and getattr(form, "is_bound", False) and not form.is_valid():
            entries.extend(_entries(form))
    return {"entries": entries}
