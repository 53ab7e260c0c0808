"""Admins configure the issuing authority and its document-number format in the admin site."""

from accounts.models import AuditEvent, Role
from orders.models import IssuingAuthority

FIELDS = {
    "name": "資源エネルギー庁",
    "signatory": "経済産業大臣",
    "address": "東京都千代田区",
    "appeal_authority": "経済産業大臣",
    "explanation_address": "電力・ガス事業部",
    "is_default": "on",
}


def test_an_admin_sets_the_number_format_and_a_bad_one_is_refused(client, users):
    client.force_login(users[Role.ADMIN])
    url = "/admin/orders/issuingauthority/add/"
    response = client.post(url, {**FIELDS, "number_format": "{YYYY}資第号"})
    assert response.status_code == 200 and not IssuingAuthority.objects.exists()
    assert "{n}" in response.content.decode()
    client.post(url, {**FIELDS, "number_format": "{YYYY}エネ第{n}号"})
    authority = IssuingAuthority.objects.get()
    assert authority.number_format == "{YYYY}エネ第{n}号"
    assert AuditEvent.objects.filter(action="admin.add").exists()


def test_other_roles_cannot_open_the_authority_admin(client, users):
    for role in (Role.REVIEW_LEAD, Role.REVIEWER, Role.AGGREGATOR_OFFICER):
        client.force_login(users[role])
        response = client.get("/admin/orders/issuingauthority/")
        assert response.status_code == 302  # to the admin login: not staff
