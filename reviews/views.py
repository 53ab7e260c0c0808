from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.http import client_ip, regulator_required, review_lead_required
from checklists.models import Catalogue
from filings.changes import compare_snapshots
from reviews import services
from reviews.access import get_flag_for_user, get_review_for_user
from reviews.exports import queue_csv
from reviews.forms import (
    SORTS,
    AcceptanceForm,
    AssignForm,
    BulkDecisionForm,
    DecisionForm,
    DeterminationForm,
    PeriodChangeForm,
    ReviewFilter,
)
from reviews.models import Flag, IncidentReport, Inquiry, Review

PAGE_SIZE = 25
WINDOW_WARNING_DAYS = 10  # the dashboard lists order windows that close within this many days


@require_safe
@login_required
@regulator_required
def review_queue(request):
    ordered = Review.objects.order_by(*SORTS["deadline"])
    filterset = ReviewFilter(request.GET or None, queryset=ordered, request=request)
    ids = filterset.qs.values_list("pk", flat=True)
    if request.GET.get("format") == "csv":
        return queue_csv(Review.objects.for_queue().filter(pk__in=ids).order_by("deadline"))
    # Page through ids first, then load only the rows of this page.
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    # A change notification links to the filing it amends (its receipt number, no snapshot).
    amended = Review.objects.for_queue().select_related("filing__amends__submission")
    rows = amended.defer("filing__amends__submission__canonical_json").in_bulk(
        list(page.object_list)
    )
    reviews = [rows[pk] for pk in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    context = {
        "filter": filterset,
        "page": page,
        "reviews": reviews,
        "query_string": query.urlencode(),
        "unsorted_query": unsorted.urlencode(),
        "sort": request.GET.get("sort", ""),
    }
    return render(request, "reviews/review_queue.html", context)


def flags_with_inquiries(queryset):
    return queryset.select_related("decided_by", "basis__basis_set").prefetch_related(
        Prefetch("inquiries", queryset=Inquiry.objects.select_related("answered_by", "sent_by"))
    )


def undecided(flags) -> list[Flag]:
    return [flag for flag in flags if flag.awaits_decision]


FLAG_PAGE_SIZE = 25  # a review page shows this many flags, grouped by kind


@dataclass
class FlagGroup:
    """The flags of one kind on one page, in the order of the checklist."""

    kind: str
    label: str
    entries: list
    total: int  # flags of this kind on every page

    @property
    def pickable(self) -> bool:
        """Some of its flags can be ticked for the bulk decision (the page's select-all)."""
        return any(not flag.is_final and not flag.awaiting_answer for flag, _form in self.entries)


def number_bases(flags: list[Flag]) -> list[dict]:
    """Print each basis once: number the distinct bases (versions) and give every flag its
    number."""
    numbers: dict[str, dict] = {}
    for flag in flags:
        cited = flag.cited_basis
        entry = numbers.setdefault(cited["key"], {**cited, "number": len(numbers) + 1})
        flag.basis_number = entry["number"]  # type: ignore[attr-defined]  # page-only
    return list(numbers.values())


def group_flags(entries: list, totals: dict[str, int]) -> list[FlagGroup]:
    groups = []
    for kind, label in Flag.Kind.choices:
        members = [(flag, form) for flag, form in entries if flag.kind == kind]
        if members:
            groups.append(FlagGroup(kind, str(label), members, totals.get(kind, 0)))
    return groups


def flag_page(review, flag_pk: int) -> int:
    """The page of the review on which a flag is listed."""
    ids = list(review.flags.in_review_order().values_list("pk", flat=True))
    return ids.index(flag_pk) // FLAG_PAGE_SIZE + 1


def flag_url(review, flag_pk: int) -> str:
    """The flag's row on its page, opened."""
    page = flag_page(review, flag_pk)
    return f"{review.get_absolute_url()}?page={page}&open={flag_pk}#flag-{flag_pk}"


def filed_context(review, snapshot: dict) -> dict:
    """Beside the flags: the filed coverage of the lower-level requirements, and for a change
    notification the change list against the filing it amends."""
    rows = snapshot["lower_aggregators"]["coverage"]
    amends = review.filing.amends
    return {
        "coverage": {
            "total": len(rows),
            "covered": sum(bool(row["covered"]) for row in rows),
            "missing": [row["item"] for row in rows if not row["covered"]],
        },
        "change_list": compare_snapshots(amends.submission.snapshot, snapshot) if amends else None,
    }


def next_to_decide(review, after: Flag) -> int:
    """The next flag awaiting a decision after ``after``, round from the top; else ``after``."""
    ids = list(review.flags.in_review_order().values_list("pk", flat=True))
    waiting = set(review.flags.awaiting_decision().values_list("pk", flat=True))
    start = ids.index(after.pk) + 1
    return next((pk for pk in ids[start:] + ids[:start] if pk in waiting), after.pk)


def upheld_candidates(owner) -> list[Flag]:
    return list(owner.flags.upheld_candidates())


def show_as_filed(flags: list[Flag], snapshot: dict) -> None:
    """Give each flag the filer's answer to its item, as filed (page-only)."""
    as_filed = {entry["code"]: entry for entry in snapshot["items"]}
    for flag in flags:
        flag.as_filed = as_filed.get(flag.item_code)  # type: ignore[attr-defined]


def review_forms(review, upheld: list[Flag], bound: dict) -> dict:
    """The review page's forms, each the one that came back bound if there is one."""
    return {
        "assign_form": AssignForm(initial={"assignee": review.assignee}),
        "acceptance_form": bound.get("acceptance")
        or AcceptanceForm(initial={"accepted_on": review.accepted_on}),
        "determination_form": bound.get("determination") or DeterminationForm(upheld=upheld),
        "bulk_form": bound.get("bulk") or BulkDecisionForm(review=review),
        "shorten_form": bound.get("shorten") or PeriodChangeForm(prefix="shorten"),
        "extend_form": bound.get("extend") or PeriodChangeForm(prefix="extend"),
        "today": timezone.localdate(),
        "order_window_refusal": (
            "" if review.is_order_window_open else services.order_window_refusal(review)
        ),
    }


def review_page(request, review, *, bound_flag=None, bound_form=None, status=200, **bound):
    """One page of the review's flags. A form that failed validation is shown bound: a flag's
    (``bound_flag``, ``bound_form``) or ``determination``, ``acceptance``, ``bulk``, ``shorten`` or
    ``extend``."""
    number = flag_page(review, bound_flag.pk) if bound_flag else request.GET.get("page")
    ordered = flags_with_inquiries(review.flags.in_review_order())
    page = Paginator(ordered, FLAG_PAGE_SIZE).get_page(number)
    entries = [
        (flag, bound_form if flag == bound_flag else DecisionForm(prefix=f"flag-{flag.pk}"))
        for flag in page
    ]
    snapshot = review.filing.submission.snapshot
    show_as_filed([flag for flag, _form in entries], snapshot)
    upheld = upheld_candidates(review)
    groups = group_flags(entries, review.flags.kind_counts())
    context = {
        "review": review,
        "filing": review.filing,
        "snapshot": snapshot,
        "page": page,
        "bases": number_bases([flag for flag, _form in entries]),
        "groups": groups,
        "can_decide": not review.is_decided,
        "upheld": upheld,
        "undecided_count": review.flags.awaiting_decision().count(),
        "bound_flag_form": bound_form,
        "bound_flag": bound_flag,
        "open_flag": int(opened) if (opened := request.GET.get("open", "")).isdigit() else None,
        "pickable": any(group.pickable for group in groups),
        **filed_context(review, snapshot),
        **review_forms(review, upheld, bound),
    }
    return render(request, "reviews/review_detail.html", context, status=status)


@require_safe
@login_required
@regulator_required
def review_detail(request, pk):
    return review_page(request, get_review_for_user(request.user, pk))


@require_POST
@login_required
@regulator_required
def review_assign(request, pk):
    review = get_review_for_user(request.user, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assign_review(
                review=review,
                assignee=form.cleaned_data["assignee"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The assignment was saved."))
    else:
        messages.error(request, _("Choose the assignee from the list."))
    return redirect(review)


@require_POST
@login_required
@regulator_required
def flag_decide(request, pk):
    flag = get_flag_for_user(request.user, pk)
    form = DecisionForm(request.POST, prefix=f"flag-{flag.pk}")
    target = flag.review or flag.incident
    assert target is not None  # a flag belongs to a review or to an incident
    if form.is_valid():
        try:
            services.decide_flag(
                flag=flag, actor=request.user, ip_address=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision was recorded."))
            if flag.review is None:
                return redirect(f"{target.get_absolute_url()}#flag-{flag.pk}")
            return redirect(flag_url(flag.review, next_to_decide(flag.review, flag)))
    if flag.review is None:
        messages.error(
            request,
            " ".join(str(e) for e in form.non_field_errors() or [_("Check the decision form.")]),
        )
        return redirect(target)
    review = get_review_for_user(request.user, flag.review.pk)
    return review_page(request, review, bound_flag=flag, bound_form=form, status=400)


@require_POST
@login_required
@regulator_required
def flags_decide(request, pk):
    """Several flags of a review, one decision and one reason; back to the next to decide."""
    review = get_review_for_user(request.user, pk)
    form = BulkDecisionForm(request.POST, review=review)
    if form.is_valid():
        try:
            decided = services.decide_flags(
                flags=list(form.cleaned_data["flags"]),
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(decided)
            messages.success(
                request, _("Decisions recorded for %(count)d flags.") % {"count": count}
            )
            return redirect(flag_url(review, next_to_decide(review, decided[-1])))
    return review_page(request, review, bulk=form, status=400)


def determine(request, form: DeterminationForm, target, *, record, page):
    """The lead's determination of a review or a security incident report: first the page that
    shows what is about to be recorded (it posts the same data back with ``confirmed``, or with
    ``edit`` to change it), then ``record`` (the service); a refusal goes back to ``page``."""
    if form.is_valid() and "edit" not in request.POST:
        if not form.cleaned_data["confirmed"]:
            context = {"form": form, "target": target, "action": request.path}
            return render(request, "reviews/determination_confirm.html", context)
        try:
            record(
                actor=request.user,
                ip_address=client_ip(request),
                determination=form.cleaned_data["determination"],
                reason=form.cleaned_data["reason"],
                no_order_reasons=form.no_order_reasons,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The determination was recorded."))
            return redirect(target)
    return page(determination=form, status=200 if form.is_valid() else 400)


@require_POST
@login_required
@review_lead_required
def review_determine(request, pk):
    review = get_review_for_user(request.user, pk)
    form = DeterminationForm(
        request.POST, upheld=upheld_candidates(review), flags=review.flags.all()
    )
    record = partial(services.determine_review, review=review)
    return determine(
        request, form, review, record=record, page=partial(review_page, request, review)
    )


@require_POST
@login_required
@regulator_required
def review_accept(request, pk):
    review = get_review_for_user(request.user, pk)
    form = AcceptanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_acceptance(
                review=review,
                accepted_on=form.cleaned_data["accepted_on"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("accepted_on", error)
        else:
            messages.success(request, _("The acceptance date was recorded."))
            return redirect(review)
    return review_page(request, review, acceptance=form, status=400)


def incident_determination_form(incident: IncidentReport, data=None) -> DeterminationForm:
    choices = IncidentReport.Determination.choices
    flags = incident.flags.all() if data is not None else None
    return DeterminationForm(data, upheld=upheld_candidates(incident), choices=choices, flags=flags)


def candidates_by_category() -> list[dict]:
    """Open order candidates across all filers, by category of the current catalogue: the filings
    that have them (what the queue's category filter lists) and the candidates themselves."""
    rows = (
        Flag.objects.open_candidates()
        .filter(review__isnull=False)
        .with_category()
        .values("category")
        .annotate(filings=Count("review", distinct=True), candidates=Count("pk"))
    )
    counts = {row["category"]: row for row in rows}
    catalogue = Catalogue.objects.current()
    categories = catalogue.categories.order_by("order") if catalogue else []
    top = max((row["candidates"] for row in counts.values()), default=0) or 1
    return [
        {
            "code": category.code,
            "name": category.name,
            "filings": counts.get(category.code, {}).get("filings", 0),
            "candidates": counts.get(category.code, {}).get("candidates", 0),
            "width": round(100 * counts.get(category.code, {}).get("candidates", 0) / top),
        }
        for category in categories
    ]


@require_safe
@login_required
@regulator_required
def dashboard(request):
    by_status = dict(Review.objects.values_list("status").annotate(n=Count("pk")).order_by())
    unmet = list(
        Flag.objects.filter(rule="criterion_item_unmet")
        .values("item_code", "item_title")
        .annotate(count=Count("pk"))
        .order_by("-count", "item_code")[:10]
    )
    top = max((row["count"] for row in unmet), default=1)
    by_category = candidates_by_category()
    context = {
        "statuses": [(label, by_status.get(value, 0)) for value, label in Review.Status.choices],
        "overdue": Review.objects.overdue().count(),
        # The tile counts what its link lists (filings); the flags behind them are the detail.
        "with_candidates": Review.objects.filter(open_candidates__gt=0).count(),
        "open_candidates": Flag.objects.open_candidates().count(),
        "unmet": [{**row, "width": round(300 * row["count"] / top)} for row in unmet],
        "by_category": by_category,
        "closing": list(Review.objects.for_queue().window_closing(WINDOW_WARNING_DAYS)[:10]),
        "closing_days": WINDOW_WARNING_DAYS,
    }
    return render(request, "reviews/dashboard.html", context)
