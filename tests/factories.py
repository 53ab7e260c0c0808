"""The one factories module of the test suite."""

import itertools

import factory
from django.conf import settings
from django.core.management import call_command
from django.utils.timezone import now

from accounts.models import Organisation, Role, User
from accounts.validators import corporate_number_check_digit
from checklists.models import Catalogue
from legal.interchange import (
    BASIS_FIELDS,
    MATTER_FIELDS,
    load_document,
    validate_document,
)
from legal.models import BasisSet, LegalBasis, NotifiedMatter

PASSWORD = "correct-horse-battery-9"
_bases = itertools.count(100000000001)


def make_corporate_number() -> str:
    base = f"{next(_bases):012d}"
    return f"{corporate_number_check_digit(base)}{base}"


class AggregatorFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.AGGREGATOR
    name = factory.Sequence(lambda n: f"テスト・アグリゲーター{n}株式会社")
    corporate_number = factory.LazyFunction(make_corporate_number)
    address = "東京都千代田区"


class RegulatorFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    kind = Organisation.Kind.REGULATOR
    name = "規制当局"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    full_name = factory.Sequence(lambda n: f"利用者 {n}")
    role = Role.AGGREGATOR_STAFF
    organisation = factory.SubFactory(AggregatorFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


def user_with_role(role: str, organisation: Organisation | None = None) -> User:
    if role in {Role.REVIEWER, Role.REVIEW_LEAD, Role.ADMIN}:
        return UserFactory.create(role=role, organisation=organisation or RegulatorFactory.create())
    return UserFactory.create(role=role, organisation=organisation or AggregatorFactory.create())


def load_catalogue() -> Catalogue:
    call_command("loaddata", "catalogue", verbosity=0)
    return Catalogue.objects.get(version="2026.1")


LEGAL_FIXTURE = settings.BASE_DIR / "fixtures" / "legal" / "2026.1.yaml"


def load_legal_bases() -> BasisSet:
    """The first published version of the legal bases (a no-op when it is there already).

    Written directly, like ``loaddata`` writes the catalogue, so that the test database starts
    with an empty audit log; the import command itself (audited) is tested in tests/legal."""
    existing = BasisSet.objects.filter(version="2026.1").first()
    if existing is not None:
        return existing
    data = validate_document(load_document(LEGAL_FIXTURE))
    basis_set = BasisSet.objects.create(
        version=data["version"], notes=data["notes"], status="published", published_at=now()
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(basis_set=basis_set, order=order, **{f: row[f] for f in BASIS_FIELDS})
        for order, row in enumerate(data["bases"], start=1)
    )
    NotifiedMatter.objects.bulk_create(
        NotifiedMatter(basis_set=basis_set, **{f: row[f] for f in MATTER_FIELDS})
        for row in data["matters"]
    )
    return basis_set


# --- filings ---------------------------------------------------------------------------------
COMPLETE_HEADER = {
    "chain_role": "coordinator",
    "importance_class": "standard",
    "expected_capacity_kw": 5000,
    "planned_start_date": None,  # set relative to today by make_filing
    "contact_name": "連絡 太郎",
    "contact_email": "contact@example.jp",
    "contact_phone": "03-0000-0000",
    "uses_lower_aggregators": False,
}


def make_filing(author, **header):
    """A draft created the way users create one (service function), header filled in."""
    from datetime import timedelta

    from django.utils import timezone

    from filings.services import create_filing

    values = {
        **COMPLETE_HEADER,
        "planned_start_date": timezone.localdate() + timedelta(days=60),
        **header,
    }
    return create_filing(actor=author, header=values)


def answer_all(filing, status="implemented", **overrides):
    """Answer every item completely; ``overrides`` maps item code to a status."""
    from datetime import timedelta

    from django.utils import timezone

    answers = list(filing.answers.select_related("item"))
    for answer in answers:
        answer.status = overrides.get(answer.item.code, status)
        answer.implementation = f"{answer.item.code} の対策を実施している。"
        answer.justification = "下位アグリゲーターを利用しない。"
        answer.target_date = timezone.localdate() + timedelta(days=30)  # before the start
    type(answers[0]).objects.bulk_update(
        answers, ["status", "implementation", "justification", "target_date"]
    )
    return filing


def make_submitted(officer, **overrides):
    from filings.services import submit_filing

    filing = answer_all(make_filing(officer), **overrides)
    submit_filing(filing=filing, actor=officer)
    filing.refresh_from_db()
    return filing


def plain_pdf(note: str = "test") -> bytes:
    """A real one-page PDF (qpdf reads it), as evidence: the upload check refuses what it cannot
    read."""
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = note
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_pdf(filing, author, name="方針.pdf", answers=()):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings.services import add_evidence
    from filings.uploads import inspect_upload

    upload = SimpleUploadedFile(name, plain_pdf(), "application/pdf")
    return add_evidence(
        filing=filing,
        actor=author,
        upload=upload,
        inspected=inspect_upload(upload),
        kind="item",
        answers=list(answers),
    )


# --- reviews ---------------------------------------------------------------------------------
def make_review(officer, **overrides):
    """A submitted filing (with ``overrides`` as unmet items) and the review it opened."""
    filing = make_submitted(officer, **overrides)
    return filing.review


def incident_fields(**overrides) -> dict:
    """The fields of a security incident report, as the form hands them to the service."""
    from django.utils import timezone

    now = timezone.now()
    return {
        "occurred_at": now,
        "detected_at": now,
        "summary": "制御サーバ停止",
        "affected_systems": "制御サーバ",
        "supply_impact": "at_risk",
        **overrides,
    }


def large_catalogue(catalogue, admin, size: int):
    """The shipped catalogue copied and grown to ``size`` criterion items, each with a source."""
    from checklists.models import Item, ItemSource
    from checklists.services import create_draft_catalogue, publish_catalogue

    draft = create_draft_catalogue(based_on=catalogue, version=f"large-{size}", actor=admin)
    categories = list(draft.categories.exclude(code="SUP"))
    source = ItemSource.objects.filter(item__catalogue=draft).first()
    assert source is not None
    edition = source.edition
    extra = Item.objects.bulk_create(
        Item(
            catalogue=draft,
            category=categories[n % len(categories)],
            code=f"X-{n:03d}",
            order=100 + n,
            title_ja=f"追加項目 {n}",
            requirement_ja="要約",
            is_criterion=True,
        )
        for n in range(size - draft.items.count())
    )
    ItemSource.objects.bulk_create(
        ItemSource(
            item=item, edition=edition, clause="", level="kankoku", verification="unverified"
        )
        for item in extra
    )
    complete_mapping(draft)
    return publish_catalogue(catalogue=draft, actor=admin)


# --- orders ----------------------------------------------------------------------------------
def issuing_authority(**overrides):
    from orders.models import IssuingAuthority

    values = {
        "name": "経済産業省 資源エネルギー庁",
        "signatory": "経済産業大臣",
        "address": "東京都千代田区霞が関一丁目3番1号",
        "appeal_authority": "経済産業大臣",
        "explanation_address": "資源エネルギー庁 電力・ガス事業部（ポータルでの提出も可）",
        "is_default": True,
        **overrides,
    }
    return IssuingAuthority.objects.create(**values)


def decide_and_determine(owner, reviewer, lead, reason="勧告事項が未実施。"):
    """Uphold every flag of a review or incident report and record 手続へ移行 (opens the case)."""
    from reviews.models import Review
    from reviews.services import decide_flag, determine_incident, determine_review

    for flag in owner.flags.awaiting_decision():
        decide_flag(flag=flag, actor=reviewer, decision="uphold", reason="確認した。")
    determine = determine_review if isinstance(owner, Review) else determine_incident
    key = "review" if isinstance(owner, Review) else "incident"
    determine(**{key: owner}, actor=lead, determination="order_procedure", reason=reason)
    owner.refresh_from_db()
    return owner.order_case


def make_order_case(officer, reviewer, lead, **unmet):
    """A filing with unmet criterion items, its review determined 変更命令等の手続へ移行."""
    review = make_review(officer, **(unmet or {"ORG-1": "not_implemented"}))
    return decide_and_determine(review, reviewer, lead)


# --- catalogue revisions (issue 19) -----------------------------------------------------------
def draft_revision(catalogue, admin, version: str = "2027.1"):
    """A draft of the next version, as an admin makes it: SYS-3 reworded, SYS-2 split into SYS-2
    and SYS-6, INC-3 and INC-4 merged into INC-3, SYS-7 new, EXT-12 removed; the rest the same
    (proposed by the copy), so the mapping is complete."""
    from checklists.models import ItemRelation
    from checklists.services import create_draft_catalogue

    draft = create_draft_catalogue(based_on=catalogue, version=version, actor=admin)
    items = {item.code: item for item in draft.items.all()}
    items["SYS-3"].requirement_ja += "（TLS 1.2 以上に限る。）"
    items["SYS-3"].save()
    ItemRelation.objects.filter(catalogue=draft, new_item=items["SYS-3"]).update(
        relation="reworded"
    )
    items["EXT-12"].delete()
    ItemRelation.objects.create(
        catalogue=draft, old_item=catalogue.items.get(code="EXT-12"), relation="removed"
    )
    return restructure_draft(draft)


def restructure_draft(draft):
    """The structural part of the 2027.1 revision: SYS-2 split into SYS-2 and SYS-6, INC-3 and
    INC-4 merged into INC-3, SYS-7 new."""
    from checklists.models import Item, ItemRelation

    catalogue = draft.based_on
    old = {item.code: item for item in catalogue.items.all()}
    items = {item.code: item for item in draft.items.all()}
    relations = ItemRelation.objects.filter(catalogue=draft)

    items["SYS-2"].title_ja = "他ネットワークとの接続（接続点の最小化）"
    items["SYS-2"].save()
    sys6 = _copy_item(items["SYS-2"], "SYS-6", "他ネットワークとの接続（接続点の防御）")
    relations.filter(new_item=items["SYS-2"]).update(relation="split")
    ItemRelation.objects.create(
        catalogue=draft, new_item=sys6, old_item=old["SYS-2"], relation="split"
    )

    items["INC-3"].title_ja = "セキュリティ事故の報告、情報共有と訓練"
    items["INC-3"].save()
    items["INC-4"].delete()
    relations.filter(new_item=items["INC-3"]).update(relation="merged")
    ItemRelation.objects.create(
        catalogue=draft, new_item=items["INC-3"], old_item=old["INC-4"], relation="merged"
    )

    sys7 = _copy_item(items["SYS-5"], "SYS-7", "リモートアクセスの多要素認証")
    ItemRelation.objects.create(catalogue=draft, new_item=sys7, relation="new")
    assert not Item.objects.filter(catalogue=draft, code="INC-4").exists()
    return draft


def _copy_item(item, code: str, title: str):
    from checklists.models import Item, ItemSource

    sources = list(item.sources.all())
    copy = Item.objects.get(pk=item.pk)
    copy.pk, copy.code, copy.title_ja, copy.order = None, code, title, item.order + 1
    copy.lower_coverage_required = False
    copy.save()
    for source in sources:
        source.pk, source.item = None, copy
    ItemSource.objects.bulk_create(sources)
    return copy


def published_revision(catalogue, admin, version: str = "2027.1"):
    from checklists.services import publish_catalogue

    return publish_catalogue(catalogue=draft_revision(catalogue, admin, version), actor=admin)


def complete_mapping(draft):
    """Test and bench data only: every unmapped item of the draft is "new", every unmapped item
    of the previous version "removed" (an admin decides these one by one)."""
    from checklists.models import Item, ItemRelation

    mapped_new = ItemRelation.objects.filter(catalogue=draft).values("new_item_id")
    mapped_old = ItemRelation.objects.filter(catalogue=draft).values("old_item_id")
    ItemRelation.objects.bulk_create(
        [
            *(
                ItemRelation(catalogue=draft, new_item=item, relation="new")
                for item in draft.items.exclude(pk__in=mapped_new)
            ),
            *(
                ItemRelation(catalogue=draft, old_item=item, relation="removed")
                for item in Item.objects.filter(catalogue=draft.based_on).exclude(pk__in=mapped_old)
            ),
        ]
    )
    return draft


def open_comment(draft, admin, days: int = 14):
    """A comment period on ``draft`` that started yesterday."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations.services import open_comment_period

    today = timezone.localdate()
    return open_comment_period(
        catalogue=draft,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=days),
        note="電力制御システムの接続点に関する項目を見直す案について意見を募集する。",
        actor=admin,
    )
