"""The data bench/scale.py measures: catalogues of a given size, draft and submitted filings made
through the services, and submitted filings with reviews and flags written in bulk.

Imported only after django.setup(). Uses the test suite's factories (factory-boy, a dev dependency).
"""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, Role
from checklists.models import Catalogue, Item, ItemSource
from checklists.services import create_draft_catalogue, publish_catalogue
from filings.models import Filing, Submission
from filings.services import submit_filing
from legal.models import current_basis
from reviews.models import Flag, Review
from reviews.rules import CHANGE_ORDER, EVIDENCE_INQUIRY
from tests.factories import (
    add_pdf,
    answer_all,
    complete_mapping,
    load_legal_bases,
    make_corporate_number,
    make_filing,
    user_with_role,
)


def base_database() -> tuple[Catalogue, dict]:
    """Migrated, the shipped catalogue loaded, one user per role (aggregators in one company)."""
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production settings: a database cache
    call_command("loaddata", "catalogue", verbosity=0)
    load_legal_bases()
    staff = user_with_role(Role.AGGREGATOR_STAFF)
    users = {
        role: user_with_role(role, staff.organisation if role.startswith("aggregator") else None)
        for role in Role.values
        if role != Role.AGGREGATOR_STAFF
    }
    return Catalogue.objects.get(version="2026.1"), {Role.AGGREGATOR_STAFF: staff, **users}


def publish_size(shipped: Catalogue, size: int, admin) -> Catalogue:
    """The shipped catalogue copied and trimmed or grown to ``size`` items, then published (so new
    filings pin it). Added items are criterion items copying a shipped item's texts, one source."""
    draft = create_draft_catalogue(based_on=shipped, version=f"bench-{size}", actor=admin)
    originals = list(draft.items.criteria().filter(lower_aggregator_requirement=False))
    categories = list(draft.categories.exclude(code="SUP").order_by("order"))
    extra = size - draft.items.count()
    if extra < 0:
        keep = draft.items.order_by("order").values_list("pk", flat=True)[:size]
        draft.items.exclude(pk__in=list(keep)).delete()
    models = [originals[n % len(originals)] for n in range(max(extra, 0))]
    added = Item.objects.bulk_create(
        Item(
            catalogue=draft,
            category=categories[n % len(categories)],  # spread evenly, as more guidelines would
            code=f"X-{n:03d}",
            order=100 + n,
            title_ja=f"{model.title_ja[:180]}（追加 {n}）",
            title_en=model.title_en,
            requirement_ja=model.requirement_ja,
            requirement_en=model.requirement_en,
            evidence_examples_ja=model.evidence_examples_ja,
            is_criterion=True,
        )
        for n, model in enumerate(models)
    )
    sources = {item.pk: item.sources.first() for item in originals}
    ItemSource.objects.bulk_create(
        ItemSource(
            item=item,
            edition=(source := sources[model.pk]).edition,
            clause=source.clause,
            level=source.level,
            verification=source.verification,
        )
        for item, model in zip(added, models, strict=True)
    )
    return publish_catalogue(catalogue=complete_mapping(draft), actor=admin)


def draft_filing(author) -> Filing:
    """A draft on the current catalogue, every item answered (one in four partially)."""
    filing = make_filing(author)
    codes = filing.answers.values_list("item__code", flat=True)
    return answer_all(filing, **{code: "partial" for code in list(codes)[::4]})


def submitted_filing(officer, *, unmet: bool = False) -> Filing:
    """A filing submitted through the service (snapshot, review, flags by the rules), one PDF of
    evidence on its implemented items; with ``unmet``, three items in four are 未実施."""
    filing = make_filing(officer)
    codes = list(filing.answers.order_by("item__order").values_list("item__code", flat=True))
    statuses = {c: "not_implemented" for n, c in enumerate(codes) if unmet and n % 4}
    answer_all(filing, **statuses)
    add_pdf(filing, officer, "対策実施状況.pdf", filing.answers.filter(status="implemented"))
    submit_filing(filing=filing, actor=officer)
    filing.refresh_from_db()
    return filing


def bulk_filings(catalogue, officer, reviewer, count: int, *, like: Submission) -> None:
    """``count`` submitted filings with reviews and flags, written in bulk: five filings per
    company, each submission carrying ``like``'s snapshot, reviews in every status, 0–2 open
    change-order candidates and one inquiry candidate each."""
    now, first = timezone.now(), Organisation.objects.count()
    companies = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.AGGREGATOR,
            name=f"ベンチ・アグリゲーター{first + n}株式会社",
            corporate_number=make_corporate_number(),
            address="東京都千代田区丸の内一丁目",
        )
        for n in range(max(1, count // 5))
    )
    header = {name: getattr(like.filing, name) for name in Filing.HEADER_FIELDS}
    filings = Filing.objects.bulk_create(
        Filing(
            organisation=companies[n % len(companies)],
            catalogue=catalogue,
            status="submitted",
            created_by=officer,
            **header,
        )
        for n in range(count)
    )
    Submission.objects.bulk_create(
        Submission(
            filing=filing,
            receipt_number=f"CS-2026-{filing.pk:06d}",
            submitted_at=now - timedelta(days=n % 40),
            submitted_by=officer,
            canonical_json=like.canonical_json,
            sha256=like.sha256,
        )
        for n, filing in enumerate(filings)
    )
    statuses = ["received"] * 6 + ["under_review"] * 2 + ["inquiry", "decided"]
    reviews = Review.objects.bulk_create(
        Review(
            filing=filing,
            status=(status := statuses[n % len(statuses)]),
            received_at=now - timedelta(days=n % 40),
            accepted_on=(now - timedelta(days=n % 40)).date(),
            deadline=(now + timedelta(days=30 - n % 40)).date(),
            assignee=None if status == "received" else reviewer,
            open_candidates=0 if status == "decided" else n % 3,
            determination="no_order" if status == "decided" else "",
            determination_reason="改善計画を確認した。" if status == "decided" else "",
            determined_by=reviewer if status == "decided" else None,
            determined_at=now if status == "decided" else None,
        )
        for n, filing in enumerate(filings)
    )
    items = list(catalogue.items.criteria().order_by("order"))
    bases = {code: current_basis(code) for code in (CHANGE_ORDER, EVIDENCE_INQUIRY)}
    Flag.objects.bulk_create(
        Flag(
            review=review,
            kind=kind,
            rule=rule,
            item_code=(item := items[(review.pk + k) % len(items)]).code,
            item_title=item.title_ja,
            finding=f"「未実施」と回答: {item.code} の対策を実施している。",
            basis=bases[basis],
            decision="withdraw" if review.status == "decided" else "",
            decision_reason="是正計画を確認した。" if review.status == "decided" else "",
        )
        for n, review in enumerate(reviews)
        for k, (kind, rule, basis) in enumerate(
            [("change_order", "criterion_item_unmet", CHANGE_ORDER)] * (n % 3)
            + [("inquiry_candidate", "implemented_without_evidence", EVIDENCE_INQUIRY)]
        )
    )
