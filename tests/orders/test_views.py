"""The case page and its steps over HTTP: refusals shown at the top with nothing recorded, and
the access matrix (every view × role × own / other company, GET and POST)."""

import pytest

from accounts.models import Role
from orders.models import Notice, OrderCase
from tests.factories import user_with_role
from tests.orders import steps

pytestmark = pytest.mark.django_db


def top_error(response) -> str:
    """The text of the alert at the top of the page (before the heading)."""
    html = response.content.decode()
    head = html.split("<h1", 1)[0]
    assert 'role="alert"' in head, "no alert above the heading"
    return head


def test_the_regulator_sees_the_timeline_with_each_step_s_basis(client, case, reviewer):
    client.force_login(reviewer)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "処分基準" in html and "行政手続法" in html and "命令期限" in html


def test_a_reviewer_s_issue_is_refused_at_the_top_and_nothing_is_numbered(client, case, reviewer):
    steps.choose(case, reviewer)
    client.force_login(reviewer)
    client.post(
        f"/orders/{case.pk}/notices/procedure_notice/",
        {
            "notice-disposition": "変更を命ずる。",
            "notice-due_on": steps.today().isoformat(),
            "notice-place": "庁舎",
        },
    )
    notice = Notice.objects.get(case=case)
    response = client.post(f"/orders/notices/{notice.pk}/issue/")
    assert response.status_code == 400
    assert "承認・発出は審査責任者のみが行えます。" in top_error(response)
    notice.refresh_from_db()
    assert not notice.is_issued and notice.document_number == ""


def test_an_order_before_the_opinion_is_refused_at_the_top(client, case, reviewer, lead, officer):
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.explained(case, officer)
    order = steps.draft_order(case, reviewer)
    client.force_login(lead)
    response = client.post(f"/orders/notices/{order.pk}/issue/")
    assert "委員会の意見を記録する前に命令を発出することはできません。" in top_error(response)
    assert not Notice.objects.get(pk=order.pk).is_issued


def test_a_second_number_for_the_same_order_is_refused(client, case, reviewer, lead, officer):
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.explained(case, officer)
    steps.record_opinion(case, reviewer)
    order = steps.draft_order(case, reviewer)
    client.force_login(lead)
    client.post(f"/orders/notices/{order.pk}/issue/")
    order.refresh_from_db()
    response = client.post(f"/orders/notices/{order.pk}/issue/")
    assert "二つ目の文書番号は付番できません" in top_error(response)
    assert Notice.objects.filter(document_number__endswith="資第3号").count() == 0


def test_a_late_explanation_is_refused_at_the_top(client, case, reviewer, lead, officer):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    Notice.objects.filter(pk=notice.pk).update(
        due_on=steps.today().replace(day=1).replace(year=2020)
    )
    client.force_login(officer)
    response = client.post(f"/orders/{case.pk}/explanation/", {"text": "遅れました。"})
    assert "弁明書の提出期限（令和2年" in top_error(response)
    assert not hasattr(OrderCase.objects.get(pk=case.pk), "explanation")


def test_the_filer_sees_issued_notices_but_not_drafts_notes_or_the_unreleased_opinion(
    client, case, reviewer, lead, officer
):
    case.internal_notes = "内部検討: 聴聞は不要"
    case.save(update_fields=["internal_notes"])
    client.force_login(officer)
    assert client.get(case.get_absolute_url()).status_code == 404  # nothing issued yet
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.record_opinion(case, reviewer)
    steps.draft_order(case, reviewer)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "弁明の機会の付与通知書" in html
    assert "命令書" not in html  # the draft order
    assert "内部検討" not in html
    assert "命令を行うことが適当である。" not in html  # the opinion, not released
    opinion = case.opinion
    opinion.released = True
    opinion.save(update_fields=["released"])
    assert "命令を行うことが適当である。" in client.get(case.get_absolute_url()).content.decode()


GETS = ["/orders/{case}/", "/orders/"]
POSTS = [
    "/orders/{case}/procedure/",
    "/orders/{case}/notices/procedure_notice/",
    "/orders/notices/{notice}/issue/",
    "/orders/notices/{notice}/delivery/",
    "/orders/{case}/explanation/",
    "/orders/{case}/explanation/paper/",
    "/orders/{case}/opinion/",
    "/orders/{case}/comply/",
    "/orders/{case}/appeals/",
]
REGULATOR_ONLY = {0, 1, 2, 3, 5, 6, 7, 8}  # indexes in POSTS


@pytest.mark.parametrize("role", [*Role.values, "other_officer", "other_staff"])
def test_access_matrix(client, case, reviewer, lead, role, users):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    if role.startswith("other_"):
        user = user_with_role(f"aggregator_{role.removeprefix('other_')}")
    else:
        user = users[role]
    client.force_login(user)
    ids = {"case": case.pk, "notice": notice.pk}
    own_filer = user.is_aggregator_user and user.organisation_id == case.organisation_id
    for url in GETS:
        status = client.get(url.format(**ids)).status_code
        if url == "/orders/":
            assert status == (200 if user.is_aggregator_user or user.is_regulator_user else 403)
        else:
            assert status == (200 if user.is_regulator_user or own_filer else 404), (url, role)
    for index, url in enumerate(POSTS):
        status = client.post(url.format(**ids), {}).status_code
        if user.is_aggregator_user:
            allowed = {403} if index in REGULATOR_ONLY else ({400} if own_filer else {404})
        else:
            allowed = {400, 302, 200} if index in REGULATOR_ONLY else {403}
        assert status in allowed, (url, role, status)
    assert not OrderCase.objects.filter(pk=case.pk, status="closed").exists()


def test_the_lead_is_warned_before_a_notice_that_leaves_no_room_in_the_order_window(
    client, case, reviewer, lead
):
    from datetime import timedelta

    review = case.review
    review.deadline = steps.today() + timedelta(days=5)
    review.save(update_fields=["deadline"])
    steps.choose(case, reviewer)
    from orders import services

    notice = services.draft_notice(
        case=case,
        actor=reviewer,
        kind="procedure_notice",
        fields={"disposition": "変更を命ずる。", "due_on": steps.today(), "place": "庁舎"},
    )
    client.force_login(lead)
    response = client.post(f"/orders/notices/{notice.pk}/issue/")
    assert "命令期限内に収まらないおそれがあります" in top_error(response)
    assert not Notice.objects.get(pk=notice.pk).is_issued
    client.post(f"/orders/notices/{notice.pk}/issue/", {"confirmed": "1"})
    assert Notice.objects.get(pk=notice.pk).is_issued
