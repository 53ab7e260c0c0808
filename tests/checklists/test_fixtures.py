from pathlib import Path

import pytest
import yaml

from checklists.interchange import catalogue_to_document

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

SEED_TITLES = [
    "体制（経営層の責任等）",
    "役割（責任者の任命、委託先管理等）",
    "セキュリティ教育",
    "文書管理、実施状況の報告",
    "セキュリティ管理（セキュリティマネジメントシステムの構築）",
    "外部ネットワークとの分離",
    "他ネットワークとの接続（接続点の最小化、防御等）",
    "通信のセキュリティ（暗号化、通信プロトコル等）",
    "機器のマルウェア対策",
    "アクセス制御（接続制御、通信相手の認証等）",
    "外部記憶媒体等のマルウェア対策",
    "情報の収集（セキュリティ事故対応に必要な情報の収集）",
    "セキュリティ事故の対応（対応体制、手順の明確化等）",
    "セキュリティ事故の報告と情報共有",
    "周知と訓練（訓練の定期的実施 等）",
]


def test_the_fifteen_seed_items_carry_the_seed_wording_and_are_criteria(catalogue):
    seed_items = catalogue.items.criteria().filter(lower_aggregator_requirement=False)
    assert list(seed_items.order_by("order").values_list("title_ja", flat=True)) == SEED_TITLES
    seed_text = next((ROOT.parent / "shared" / "seeds").glob("*.txt"), None)
    if seed_text is not None:  # the seed sits beside the repository on developer and CI machines
        text = seed_text.read_text(encoding="utf-8")
        assert all(title in text for title in SEED_TITLES)


def test_lower_aggregator_requirement_is_a_criterion_that_allows_not_applicable(catalogue):
    item = catalogue.items.get(lower_aggregator_requirement=True)
    assert item.is_criterion
    assert item.allows_not_applicable


def test_sixteen_criteria_and_thirteen_reference_items(catalogue):
    assert catalogue.items.criteria().count() == 16
    assert catalogue.items.references().count() == 13
    assert not catalogue.items.references().exclude(code__startswith="EXT-").exists()


def test_every_criterion_item_has_at_least_one_source(catalogue):
    assert not catalogue.items.criteria().filter(sources__isnull=True).exists()


def test_lower_coverage_is_every_criterion_but_the_requirement_item_and_unverified(catalogue):
    coverage = catalogue.items.lower_coverage()
    expected = catalogue.items.criteria().exclude(code="SUP-1")
    assert set(coverage) == set(expected)
    assert all(item.lower_coverage_unverified for item in coverage)
    assert not coverage.filter(code__in=["EXT-6", "SUP-1"]).exists()


def test_reference_items_reworded_to_the_regulators_answers(catalogue):
    ciso = catalogue.items.get(code="EXT-10")
    assert "義務付けるものではない" in ciso.requirement_ja
    portal = catalogue.items.get(code="EXT-11")
    assert "ポータルサイト" in portal.requirement_ja
    assert "署名" not in portal.requirement_ja and "メール" not in portal.requirement_ja


def test_no_research_note_jargon_reaches_users(catalogue):
    texts = [
        text
        for item in catalogue.items.prefetch_related("sources")
        for text in [item.requirement_ja, item.reviewer_note]
        + [source.note for source in item.sources.all()]
    ]
    for marker in ("調査メモ", "[S]", "[I]", "V2", "シード"):
        assert not any(marker in text for text in texts), marker


def test_catalogue_is_published_and_grouped_by_the_six_seed_categories_first(catalogue):
    assert catalogue.is_published
    codes = list(catalogue.categories.values_list("code", flat=True))
    assert codes[:6] == ["ORG", "DOC", "MGT", "SYS", "OPS", "INC"]


def test_django_fixture_and_interchange_yaml_hold_the_same_catalogue(catalogue):
    source = yaml.safe_load((ROOT / "fixtures/catalogue/2026.1.yaml").read_text(encoding="utf-8"))
    exported = catalogue_to_document(catalogue)
    by_code = {row["code"]: row for row in exported["guidelines"]}
    assert {row["code"]: row for row in source["guidelines"]} == by_code
    assert exported["categories"] == source["categories"]
    assert exported["items"] == source["items"]
