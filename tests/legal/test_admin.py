"""An admin corrects a basis by a new version: copy into a draft, edit, see the differences from
the current version, confirm, publish. Published rows stay read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Role
from legal.models import BasisSet, LegalBasis, current_basis
from tests.factories import make_review

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(users):
    return client_for(users[Role.ADMIN])


@pytest.fixture
def draft(admin_client):
    first = BasisSet.objects.get(version="2026.1")
    admin_client.post(
        reverse("admin:legal_basisset_changelist"),
        {"action": "copy_as_draft", "_selected_action": [first.pk]},
    )
    draft = BasisSet.objects.get(based_on=first, status="draft")
    assert draft.bases.count() == first.bases.count()
    assert draft.matters.count() == 6
    return draft


def edit_basis(admin_client, basis: LegalBasis, **changes):
    url = reverse("admin:legal_legalbasis_change", args=[basis.pk])
    fields = {
        name: getattr(basis, name)
        for name in (
            "code",
            "title",
            "title_en",
            "text",
            "text_en",
            "law",
            "article",
            "paragraph",
            "item",
            "applied_provision",
            "source_document",
            "verification",
            "verified_against",
            "order",
        )
    }
    return admin_client.post(url, {**fields, "basis_set": basis.basis_set_id, **changes})


def test_a_correction_is_published_only_after_confirming_its_differences(
    admin_client, draft, catalogue, users
):
    review = make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})
    basis = draft.bases.get(code="guidance-evidence-inquiry")
    response = edit_basis(admin_client, basis, text="指針の本文で確認した新しい本文。")
    assert response.status_code == 302
    publish = reverse("admin:legal_basisset_publish", args=[draft.pk])
    page = admin_client.get(publish).content.decode()
    assert "guidance-evidence-inquiry" in page and "指針の本文で確認した新しい本文。" in page
    assert "<del>勧告事項の実施状況は" in page  # the current text beside the new one
    refused = admin_client.post(publish, {})
    assert refused.status_code == 400 and "errornote" in refused.content.decode()
    assert BasisSet.objects.get(pk=draft.pk).status == "draft"
    done = admin_client.post(publish, {"confirm": "yes"})
    assert done.status_code == 302
    assert current_basis("guidance-evidence-inquiry").text == "指針の本文で確認した新しい本文。"
    assert AuditEvent.objects.filter(action="legal.publish", target_id=str(draft.pk)).exists()
    old = review.flags.filter(kind="inquiry_candidate").first()
    assert old is not None and old.basis.basis_set.version == "2026.1"


def test_a_published_basis_is_read_only_in_the_admin(admin_client):
    basis = current_basis("eba-27-30-5")
    response = edit_basis(admin_client, basis, text="書き換え")
    assert response.status_code == 403
    assert current_basis("eba-27-30-5").text.startswith("経済産業大臣は")


def test_an_unchanged_draft_says_so_before_publishing(admin_client, draft):
    page = admin_client.get(reverse("admin:legal_basisset_publish", args=[draft.pk]))
    assert "does not differ" in page.content.decode() or "違いはありません" in page.content.decode()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.REVIEW_LEAD, Role.AGGREGATOR_STAFF])
def test_only_admins_reach_the_publish_page(users, draft, role):
    response = client_for(users[role]).post(
        reverse("admin:legal_basisset_publish", args=[draft.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert BasisSet.objects.get(pk=draft.pk).status == "draft"
