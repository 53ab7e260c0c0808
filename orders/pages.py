"""What the case page shows to whom: regulators everything, a filer only what was issued or
released to it (never drafts, internal notes, or the opinion before its release)."""

from orders import forms, services, timeline
from orders.bases import cite
from orders.models import FollowUp, Notice, OrderCase


def _initial_notice(case: OrderCase, kind: str, notice: Notice | None) -> dict:
    if notice is not None:
        return {f: getattr(notice, f) for f in ("disposition", "reasons", "due_on", "place",
                                                "hearing_at")}  # fmt: skip
    return {}


def _regulator_forms(case: OrderCase, notices: dict, bound: dict) -> dict:
    made = {
        "procedure_form": forms.ProcedureForm(
            case=case,
            initial={
                "kind": case.kind,
                "procedure": case.procedure or "bemmei",
                "reason": case.procedure_reason,
                "representative": case.representative,
                "internal_notes": case.internal_notes,
            },
        ),
        "opinion_form": forms.OpinionForm(initial=_opinion_initial(case)),
        "paper_form": forms.PaperExplanationForm(),
        "appeal_form": forms.AppealForm(),
    }
    for kind, form_class in (
        ("procedure_notice", forms.ProcedureNoticeForm),
        ("order", forms.OrderForm),
        ("closing_notice", forms.ClosingForm),
    ):
        made[f"{kind}_form"] = form_class(initial=_initial_notice(case, kind, notices.get(kind)))
    for notice in notices.values():
        made[f"delivery_form_{notice.pk}"] = forms.DeliveryForm(prefix=f"delivery-{notice.pk}")
    for follow_up in case.follow_ups.all():
        made[f"decision_form_{follow_up.pk}"] = forms.FollowUpDecisionForm(
            prefix=f"decision-{follow_up.pk}"
        )
    made.update(bound)
    return made


def _opinion_initial(case: OrderCase) -> dict:
    opinion = getattr(case, "opinion", None)
    if opinion is None:
        return {}
    return {f: getattr(opinion, f) for f in ("requested_on", "opinion", "arrived_on",
                                             "published_on", "released")}  # fmt: skip


def case_context(user, case: OrderCase, bound: dict) -> dict:
    regulator = user.is_regulator_user
    all_notices = {n.kind: n for n in case.notices.select_related("issued_by", "drafted_by")}
    visible = {k: n for k, n in all_notices.items() if regulator or n.is_issued}
    steps = timeline.steps(case)
    for step in steps:
        step.cited = [cite(code) for code in step.codes]
    opinion = getattr(case, "opinion", None)
    context = {
        "case": case,
        "steps": steps,
        "next_step": timeline.next_step(steps),
        "notices": visible,
        "explanation": getattr(case, "explanation", None),
        "opinion": opinion if regulator or (opinion and opinion.released) else None,
        "follow_ups": list(case.follow_ups.select_related("filing")),
        "appeals": list(case.appeals.all()) if regulator else [],
        "is_regulator": regulator,
        "forms": {},
        "warnings": bound.pop("warnings", []),
        "confirm_issue": bound.pop("confirm_issue", None),
    }
    if regulator:
        context["forms"] = _regulator_forms(case, all_notices, bound)
        context["order_blocker"] = _blocker(case)
    elif user.can_submit_filings:
        made: dict[str, forms.forms.Form] = {"explanation_form": forms.ExplanationForm()}
        for follow_up in context["follow_ups"]:
            if follow_up.awaits_filer:
                made[f"follow_up_form_{follow_up.pk}"] = forms.FollowUpForm(
                    follow_up=follow_up, prefix=f"follow-up-{follow_up.pk}"
                )
        made.update(bound)
        context["forms"] = made
    for follow_up in context["follow_ups"]:
        follow_up.submit_form = context["forms"].get(f"follow_up_form_{follow_up.pk}")
        follow_up.decision_form = context["forms"].get(f"decision_form_{follow_up.pk}")
    for notice in visible.values():
        setattr(notice, "delivery_form", context["forms"].get(f"delivery_form_{notice.pk}"))  # noqa: B010
    return context


def _blocker(case: OrderCase) -> str:
    """Why the order cannot be issued now, said on the page before the lead tries."""
    try:
        services.check_order(case)
    except Exception as refusal:  # a ValidationError: its message is the reason
        return " ".join(getattr(refusal, "messages", [str(refusal)]))
    return ""


FOLLOW_UP_KINDS = FollowUp.Kind
