"""A comment period from opening to the approved, signed table of opinions and responses."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, Role
from consultations import services
from consultations.documents import response_table
from consultations.models import Opinion
from tests.factories import draft_revision, open_comment, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(catalogue, users):
    return open_comment(draft_revision(catalogue, users[Role.ADMIN]), users[Role.ADMIN])


def items(period, *codes):
    return list(period.catalogue.items.filter(code__in=codes))


def portal_opinion(period, user, consent=False, codes=("SYS-6",)):
    return services.submit_opinion(
        period=period,
        actor=user,
        body="接続点の防御について、具体例を示してほしい。",
        items=items(period, *codes),
        consents_to_name=consent,
    )


def paper_opinion(period, reviewer):
    return services.record_opinion(
        period=period,
        actor=reviewer,
        channel="paper",
        received_on=timezone.localdate(),
        submitter_name="個人",
        consents_to_name=False,
        body="CISOの語句について記述を行っておく方が良い。",
        items=[],
    )


def test_only_a_draft_based_on_a_published_version_is_put_to_comment(catalogue, users):
    with pytest.raises(ValidationError):
        open_comment(catalogue, users[Role.ADMIN])
    with pytest.raises(PermissionDenied):
        open_comment(draft_revision(catalogue, users[Role.ADMIN]), users[Role.REVIEWER])


def test_aggregators_comment_only_while_the_period_is_open(period, staff):
    portal_opinion(period, staff)
    period.ends_on = period.starts_on = timezone.localdate() - timedelta(days=3)
    period.save()
    with pytest.raises(ValidationError):
        portal_opinion(period, staff)


def test_an_opinion_names_its_items_of_the_draft_only(period, staff, catalogue):
    with pytest.raises(ValidationError):
        services.submit_opinion(
            period=period,
            actor=staff,
            body="旧版の項目",
            items=list(catalogue.items.filter(code="ORG-1")),
            consents_to_name=False,
        )


def test_regulators_record_opinions_from_other_channels_and_aggregators_cannot(
    period, users, staff
):
    opinion = paper_opinion(period, users[Role.REVIEWER])
    assert opinion.channel == "paper" and opinion.organisation is None
    with pytest.raises(PermissionDenied):
        paper_opinion(period, staff)


def test_a_grouped_response_answers_several_opinions_and_records_changed_items(
    period, users, staff
):
    first, second = portal_opinion(period, staff), paper_opinion(period, users[Role.REVIEWER])
    response = services.save_response(
        period=period,
        actor=users[Role.REVIEWER],
        opinions=[first, second],
        body="御指摘を踏まえ、SYS-6 に例示を追記します。",
        changes_draft=True,
        changed_items=items(period, "SYS-6"),
    )
    assert set(response.opinions.all()) == {first, second}
    assert [item.code for item in response.changed_items.all()] == ["SYS-6"]
    with pytest.raises(ValidationError):  # changed, but which items?
        services.save_response(
            period=period,
            actor=users[Role.REVIEWER],
            opinions=[first],
            body="修正します。",
            changes_draft=True,
            changed_items=[],
        )


def test_a_new_response_replaces_the_old_one_which_goes_when_it_answers_nothing(
    period, users, staff
):
    opinion = portal_opinion(period, staff)
    reviewer = users[Role.REVIEWER]
    kwargs = {"period": period, "actor": reviewer, "changes_draft": False, "changed_items": []}
    old = services.save_response(opinions=[opinion], body="案のとおり。", **kwargs)
    services.save_response(opinions=[opinion], body="案のとおりとします。", **kwargs)
    opinion.refresh_from_db()
    assert opinion.response.body == "案のとおりとします。"
    assert not type(old).objects.filter(pk=old.pk).exists()


def test_only_the_lead_approves_and_only_when_every_opinion_has_a_response(period, users, staff):
    opinion = portal_opinion(period, staff)
    with pytest.raises(ValidationError):
        services.approve_table(period=period, actor=users[Role.REVIEW_LEAD])
    services.save_response(
        period=period,
        actor=users[Role.REVIEWER],
        opinions=[opinion],
        body="案のとおり。",
        changes_draft=False,
        changed_items=[],
    )
    with pytest.raises(PermissionDenied):
        services.approve_table(period=period, actor=users[Role.REVIEWER])
    services.approve_table(period=period, actor=users[Role.REVIEW_LEAD])
    with pytest.raises(ValidationError):  # frozen once approved
        paper_opinion(period, users[Role.REVIEWER])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESPONSE_TABLE_APPROVE).exists()


def test_the_table_names_only_submitters_who_consented(period, users, staff, other_company):
    named = portal_opinion(period, staff, consent=True)
    other = user_with_role(Role.AGGREGATOR_STAFF, other_company)
    anonymous = portal_opinion(period, other)
    for opinion in (named, anonymous):
        services.save_response(
            period=period,
            actor=users[Role.REVIEWER],
            opinions=[opinion],
            body="案のとおり。",
            changes_draft=False,
            changed_items=[],
        )
    document = response_table(period)
    submitters = [o["submitter"] for row in document["rows"] for o in row["opinions"]]
    assert staff.organisation.name in submitters
    assert other_company.name not in str(document)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_signed_pdf_prints_each_opinion_beside_its_response(period, users, staff, tmp_path):
    portal = portal_opinion(period, staff)
    paper = paper_opinion(period, users[Role.REVIEWER])
    reviewer = users[Role.REVIEWER]
    services.save_response(
        period=period,
        actor=reviewer,
        opinions=[portal],
        body="御指摘を踏まえ、接続点の防御の例示を追記します。",
        changes_draft=True,
        changed_items=items(period, "SYS-6"),
    )
    services.save_response(
        period=period,
        actor=reviewer,
        opinions=[paper],
        body="CISOについて補足の記載をします。",
        changes_draft=False,
        changed_items=[],
    )
    services.approve_table(period=period, actor=users[Role.REVIEW_LEAD])
    period = services.render_table(period=period, actor=users[Role.REVIEW_LEAD])
    path = tmp_path / "table.pdf"
    path.write_bytes(period.table_pdf.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "寄せられた主な御意見" in text and "御意見に対する考え方（案）" in text
    lines = text.splitlines()
    for opinion, response in (
        ("具体例を示してほしい", "例示を追記します"),
        ("CISOの語句", "補足の記載"),
    ):
        opinion_line = next(n for n, line in enumerate(lines) if opinion in line)
        response_line = next(n for n, line in enumerate(lines) if response in line)
        assert abs(opinion_line - response_line) <= 3, (opinion, response)  # side by side
    assert staff.organisation.name not in text  # no consent: withheld
    assert "名称非公表" in text
    from reports.signing import verify_pdf

    assert verify_pdf(path.read_bytes()).intact
    assert Opinion.objects.filter(period=period).count() == 2
