"""The checklist of a draft: one section (one page of it) at a time, each item saved on its own,
in place when JavaScript runs (the item's card comes back as a fragment)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from accounts.http import aggregator_required, client_ip
from checklists.models import REFERENCE_SECTION, ItemSource, section_order
from filings import services
from filings.access import get_filing_for_user
from filings.completeness import (
    CHECKLIST_PAGE_SIZE,
    answer_marks,
    draft_outcome,
    section_progress,
)
from filings.forms import AnswerForm
from filings.models import Answer
from filings.snapshots import LOWER_EVIDENCE

PAGE_SIZE = CHECKLIST_PAGE_SIZE  # items of a section on one page


def _card_prefetch() -> tuple:
    """What an item's card shows beyond the answer row: the item's sources, the evidence."""
    sources = ItemSource.objects.select_related("edition__guideline")
    return Prefetch("item__sources", queryset=sources), "evidence"


def _checklist_answers(filing):
    return (
        filing.answers.select_related("item__category")
        .prefetch_related(*_card_prefetch())
        .order_by(*section_order("item__"))
    )


def _in_section(answers, code: str):
    if code == REFERENCE_SECTION.code:
        return answers.filter(item__is_criterion=False)
    return answers.filter(item__is_criterion=True, item__category__code=code)


def _page_of(filing, answer) -> int:
    """The page of its section on which an item is listed."""
    codes = _in_section(filing.answers.order_by(*section_order("item__")), answer.item.section.code)
    return list(codes.values_list("item_id", flat=True)).index(answer.item_id) // PAGE_SIZE + 1


def _progress(sections) -> dict[str, Any]:
    return {
        "sections": sections,
        "answered": sum(section.answered for section in sections),
        "total": sum(section.total for section in sections),
    }


def checklist_page(request, filing, code: str | None, *, bound=None, status=200):
    """One page of one section, each item its own form; a form that failed is shown bound."""
    sections = section_progress(filing)
    current = next((s for s in sections if s.code == code), None) if code else sections[0]
    if current is None:
        raise Http404
    answers = _in_section(_checklist_answers(filing), current.code)
    number = request.GET.get("page")
    if bound is not None:  # its answer was read alone (answer_save)
        prefetch_related_objects([bound.answer], *_card_prefetch())
        number = _page_of(filing, bound.answer)
    paginator = Paginator(answers, PAGE_SIZE)
    paginator.count = current.total  # known from the progress: spares a COUNT query
    page = paginator.get_page(number)
    forms = [
        bound if bound is not None and bound.answer.pk == answer.pk else AnswerForm(answer=answer)
        for answer in page
    ]
    expect_outcome(request, filing, forms)
    for form in forms:  # the item just saved without script says so on its card
        form.saved = form.answer.item.code == request.GET.get("saved") and form is not bound
    index = sections.index(current)
    context = {
        **_progress(sections),
        "filing": filing,
        "current": current,
        "forms": forms,
        "bound": bound,
        "lower_files": filing.evidence_files.filter(kind__in=LOWER_EVIDENCE),  # SUP-1's too
        "page": page,
        "previous": sections[index - 1] if index else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
    }
    return render(request, "filings/filing_checklist.html", context, status=status)


def expect_outcome(request, filing, forms) -> None:
    """Give each item's form what the filing rules will make of its saved answer (page-only)."""
    outcome = draft_outcome(filing, user=request.user, items=[form.answer.item for form in forms])
    for form in forms:
        form.expected = outcome.flags.get(form.answer.item.code, [])


def answer_fragment(request, filing, form, *, saved=False, status=200, progress=True):
    """The item's card, for a save made in place by script, and the sections' progress unless
    the save left it as it was (then the page keeps the one it shows)."""
    prefetch_related_objects([form.answer], *_card_prefetch())
    expect_outcome(request, filing, [form])
    context = {
        **(_progress(section_progress(filing)) if progress else {}),
        "filing": filing,
        "form": form,
        "saved": saved,
        "lower_files": filing.evidence_files.filter(kind__in=LOWER_EVIDENCE),
        "current": form.answer.item.section,
    }
    response = render(request, "filings/answer_fragment.html", context, status=status)
    response["X-Fragment"] = "answer"
    return response


def answer_saved(request, filing, answer, *, in_place: bool):
    """After a save: the fresh card in place, or back to the item's anchor on its page."""
    if in_place:
        before = answer_marks(answer)
        answer.refresh_from_db(
            fields=[*Answer.CONTENT_FIELDS, "version", "updated_by", "updated_at"]
        )
        form = AnswerForm(answer=answer)
        changed = answer_marks(answer) != before
        return answer_fragment(request, filing, form, saved=True, progress=changed)
    # Without script: back to the item's page, opened at its save status, which says it was saved
    # (or what is still missing): the outcome in view where the page opens, with no script.
    url = reverse("filings:filing_checklist_section", args=[filing.pk, answer.item.section.code])
    page = _page_of(filing, answer)
    query = urlencode({**({"page": page} if page > 1 else {}), "saved": answer.item.code})
    return redirect(f"{url}?{query}#saved-{answer.item.code}")


@require_safe
@login_required
def filing_checklist(request, pk, section=None):
    filing = get_filing_for_user(request.user, pk)
    if not filing.is_draft or not request.user.is_aggregator_user:
        return redirect("filings:filing_detail", filing.pk)
    return checklist_page(request, filing, section)


@require_POST
@login_required
@aggregator_required
def answer_save(request, pk, item_id):
    """Save one item; a failed save shows the item again with the input kept. A script's request
    (header X-Fragment) is answered with the item's card instead of a page."""
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    # The row alone: its sources and evidence are read only if its card is shown.
    answer = get_object_or_404(filing.answers.select_related("item__category"), item_id=item_id)
    form, status = AnswerForm(request.POST, answer=answer), 400
    in_place = request.headers.get("X-Fragment") == "answer"
    if form.is_valid():
        result = services.save_answers(
            filing=filing, actor=request.user, edits=[form.to_edit()], ip_address=client_ip(request)
        )
        if not result.conflicts:
            return answer_saved(request, filing, answer, in_place=in_place)
        form = AnswerForm.after_conflict(request.POST, current=result.conflicts[item_id])
        status = 409
    if in_place:
        return answer_fragment(request, filing, form, status=status)
    return checklist_page(request, filing, answer.item.section.code, bound=form, status=status)
