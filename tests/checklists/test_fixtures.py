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


def test_the_fifteen_seed_items_carry_the_seed_wording_and_are_required(catalogue):
    seed_items = catalogue.items.filter(in_seed=True, lower_aggregator_requirement=False)
    assert list(seed_items.order_by("order").values_list("title_ja", flat=True)) == SEED_TITLES
    assert all(seed_items.values_list("required", flat=True))
    seed_text = next((ROOT.parent / "shared" / "seeds").glob("*.txt"), None)
    if seed_text is not None:  # the seed sits beside the repository on developer and CI machines
        text = seed_text.read_text(encoding="utf-8")
        assert all(title in text for title in SEED_TITLES)


def test_lower_aggregator_requirement_is_a_required_item(catalogue):
    item = catalogue.items.get(lower_aggregator_requirement=True)
    assert item.required
    assert item.allows_not_applicable


def test_advisory_items_beyond_the_seed_are_not_required(catalogue):
    assert catalogue.items.filter(required=True).count() == 16
    assert not catalogue.items.filter(in_seed=False, required=True).exists()


def test_every_required_item_has_at_least_one_source(catalogue):
    assert not catalogue.items.filter(required=True, sources__isnull=True).exists()


def test_catalogue_is_published_and_grouped_by_the_six_seed_categories_first(catalogue):
    assert catalogue.is_published
    codes = list(catalogue.categories.values_list("code", flat=True))
    assert codes[:6] == ["ORG", "DOC", "MGT", "SYS", "OPS", "INC"]


def test_erab_recommended_items_exist_for_lower_aggregator_coverage(catalogue):
    assert catalogue.items.erab_recommended().filter(code="SYS-3").exists()


def test_django_fixture_and_interchange_yaml_hold_the_same_catalogue(catalogue):
    source = yaml.safe_load((ROOT / "fixtures/catalogue/2026.1.yaml").read_text(encoding="utf-8"))
    exported = catalogue_to_document(catalogue)
    by_code = {row["code"]: row for row in exported["guidelines"]}
    assert {row["code"]: row for row in source["guidelines"]} == by_code
    assert exported["categories"] == source["categories"]
    assert exported["items"] == source["items"]
