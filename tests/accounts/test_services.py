"""Audit writes outside the other apps' services: reads worth recording, and admin edits."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Organisation, Role
from tests.factories import add_pdf, make_filing

pytestmark = pytest.mark.django_db


def test_every_recorded_action_is_one_of_the_enumeration(catalogue, users):
    make_filing(users[Role.AGGREGATOR_STAFF])
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions and actions <= set(AuditAction.values)


def test_a_download_is_recorded_for_get_but_not_for_head(catalogue, users):
    staff = users[Role.AGGREGATOR_STAFF]
    filing = make_filing(staff)
    evidence = add_pdf(filing, staff)
    client = Client()
    client.force_login(staff)
    url = reverse("filings:evidence_download", args=[filing.pk, evidence.pk])
    downloads = AuditEvent.objects.filter(action=AuditAction.EVIDENCE_DOWNLOAD)
    assert client.head(url).status_code == 200
    assert not downloads.exists()
    assert client.get(url).status_code == 200
    assert downloads.count() == 1


def test_admin_edits_of_organisations_and_users_reach_the_audit_log(users, company):
    admin = users[Role.ADMIN]
    client = Client()
    client.force_login(admin)
    url = reverse("admin:accounts_organisation_change", args=[company.pk])
    data = {
        "kind": company.kind,
        "name": "改名後株式会社",
        "corporate_number": company.corporate_number,
        "address": company.address,
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert (event.actor, event.target_type, event.target_id) == (
        admin,
        "accounts.Organisation",
        str(company.pk),
    )
    assert Organisation.objects.get(pk=company.pk).name == "改名後株式会社"
    spare = Organisation.objects.create(kind="regulator", name="削除用組織")
    delete = reverse("admin:accounts_organisation_delete", args=[spare.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.ADMIN_DELETE, target_id=str(spare.pk)
    ).exists()
