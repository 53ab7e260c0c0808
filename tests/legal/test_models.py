import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from legal.models import BasisSet, LegalBasis, NotifiedMatter, Verification, current_basis

pytestmark = pytest.mark.django_db

CONTRACT_CODES = {
    # statute, confirmed by the extracts in ../shared/reference/law/
    "eba-27-30-1": Verification.STATUTE,
    "eba-27-30-3": Verification.STATUTE,
    "eba-27-30-4": Verification.STATUTE,
    "eba-27-30-5": Verification.STATUTE,
    "eba-27-30-6": Verification.STATUTE,
    "eba-27-30-7": Verification.STATUTE,
    "eba-27-30-9": Verification.STATUTE,
    "eba-27-32": Verification.STATUTE,
    "eba-66-11": Verification.STATUTE,
    "eba-106-3": Verification.STATUTE,
    "eba-107": Verification.STATUTE,
    "eba-110": Verification.STATUTE,
    "apa-12": Verification.STATUTE,
    "apa-13": Verification.STATUTE,
    "apa-14": Verification.STATUTE,
    "apa-15": Verification.STATUTE,
    "apa-29": Verification.STATUTE,
    "apa-30": Verification.STATUTE,
    "apa-31": Verification.STATUTE,
    "acla-11": Verification.STATUTE,
    "acla-14": Verification.STATUTE,
    "acla-46": Verification.STATUTE,
    "dpa-7": Verification.STATUTE,
    # not in the extracts
    "ara-18": Verification.UNVERIFIED,
    "ara-82": Verification.UNVERIFIED,
    # the rules' bases
    "criterion-change-order": Verification.CRITERION,
    "criterion-lower-aggregator": Verification.CRITERION,
    "criterion-improvement-order": Verification.CRITERION,
    "guidance-evidence-inquiry": Verification.SECONDARY,
    "start-date-inquiry": Verification.STATUTE,
    "reference-item": Verification.CRITERION,
    "incident-inquiry": Verification.CRITERION,
    # what the texts leave open, said so
    "filing-threshold": Verification.SECONDARY,
    "self-assessment-matter": Verification.UNVERIFIED,
}


def test_the_first_version_has_every_code_of_the_contract_with_its_verification():
    current = dict(LegalBasis.objects.current().values_list("code", "verification"))
    assert current == CONTRACT_CODES


def test_citations_read_as_japanese_statute_citations():
    assert current_basis("eba-27-30-5").citation == "電気事業法第27条の30第5項"
    assert current_basis("eba-66-11").citation == "電気事業法第66条の11第1項第3号"
    assert (
        current_basis("eba-27-32").citation
        == "電気事業法第27条の32において準用する同法第2条の17第1項"
    )
    assert current_basis("criterion-change-order").citation.startswith("「特定卸供給事業")


def test_verification_labels_name_the_law_and_its_version_date():
    with translation.override("ja"):
        assert (
            current_basis("eba-27-30-3").verification_label
            == "法令本文で確認（電気事業法 2025年6月6日施行時点）"
        )
        assert current_basis("ara-18").verification_label == "出典未確認"
        assert "基準資料" in current_basis("criterion-change-order").verification_label
        assert "二次資料" in current_basis("guidance-evidence-inquiry").verification_label


def test_the_retail_article_is_never_stated_as_the_aggregator_basis_alone():
    basis = current_basis("eba-27-32")
    assert "準用" in basis.citation and basis.applied_provision == "第2条の17第1項"


def test_a_published_basis_cannot_be_edited_or_deleted():
    basis = current_basis("eba-27-30-5")
    basis.text = "書き換え"
    with pytest.raises(ValidationError):
        basis.save()
    with pytest.raises(ValidationError):
        basis.delete()
    assert current_basis("eba-27-30-5").text.startswith("経済産業大臣は")


def test_a_statute_basis_must_name_what_it_was_verified_against():
    draft = BasisSet.objects.create(version="2099.9")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalBasis.objects.create(
            basis_set=draft,
            code="x",
            title="x",
            text="x",
            law="電気事業法",
            article="第1条",
            verification=Verification.STATUTE,
        )


def test_current_is_the_newest_published_version():
    newer = BasisSet.objects.create(version="2099.1")
    LegalBasis.objects.create(
        basis_set=newer,
        code="eba-27-30-5",
        title="t",
        text="新しい本文",
        source_document="x",
        verification=Verification.UNVERIFIED,
    )
    assert current_basis("eba-27-30-5").basis_set.version == "2026.1"  # a draft is not current
    from legal.services import publish_basis_set

    publish_basis_set(basis_set=newer, actor=None)
    assert current_basis("eba-27-30-5").text == "新しい本文"


def test_the_notified_matters_are_one_to_six_with_the_statutory_regimes():
    matters = list(NotifiedMatter.objects.current().values_list("label", "regime"))
    assert matters == [
        ("一", "after_the_fact"),
        ("二", "after_the_fact"),
        ("三", "advance"),
        ("四", "advance"),
        ("五", "after_the_fact"),
        ("六", "after_the_fact"),
    ]
    holder = NotifiedMatter.objects.current().get(holds_self_assessment=True)
    assert holder.regime == "advance" and not holder.mapping_verified
