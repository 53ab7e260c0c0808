"""Signed anchors of the audit chain, kept outside the audit table: a cut of the newest rows shows
in verify_audit_log without being told where to look, even when the anchor table is cut too."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts import anchors
from accounts.models import AuditAction, AuditAnchor, AuditEvent, Role
from outbox.models import OutgoingMail
from tests.accounts.test_audit_chain import TABLE, raw, unguarded  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
ANCHORS = AuditAnchor._meta.db_table


@pytest.fixture
def anchors_unguarded(db):
    """What a database superuser can do: switch the anchors' append-only trigger off."""
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        raw(f"ALTER TABLE {ANCHORS} DISABLE TRIGGER accounts_auditanchor_append_only")


@pytest.fixture
def events(users) -> list[AuditEvent]:
    admin = users[Role.ADMIN]
    return [
        AuditEvent.objects.record(actor=admin, action=AuditAction.ADMIN_CHANGE, summary=f"変更 {n}")
        for n in range(6)
    ]


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def test_the_daily_anchor_is_signed_kept_as_a_file_and_mailed_to_the_admins(
    events, users, settings
):
    call_command("anchor_audit_log", stdout=StringIO())
    anchor = AuditAnchor.objects.get()
    head = AuditEvent.objects.head()
    assert head is not None and (anchor.head_id, anchor.head_hash) == (head.pk, head.hash)
    assert anchors.signature_valid(anchor) is True
    (file,) = settings.AUDIT_ANCHOR_DIR.glob("*.json")
    assert json.loads(file.read_text())["signature"] == anchor.signature
    mail = OutgoingMail.objects.get()
    assert mail.recipients == [users[Role.ADMIN].email]
    assert f"{head.pk} {head.hash}" in mail.body and anchor.signature in mail.body
    assert "OK: 1 signed anchors" in verify()


@pytest.mark.usefixtures("unguarded")
def test_a_cut_of_the_newest_rows_is_reported_without_an_anchor_argument(events):
    call_command("anchor_audit_log", stdout=StringIO())
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", [events[-3].pk])
    assert AuditEvent.objects.verify_chain() is None  # the chain alone cannot see it
    with pytest.raises(CommandError) as error:
        verify()
    assert f"events {events[-3].pk}..{events[-1].pk}" in str(error.value)
    assert "CUT" in str(error.value)


@pytest.mark.usefixtures("unguarded", "anchors_unguarded")
def test_the_cut_shows_even_when_the_anchor_table_is_cut_too(events):
    call_command("anchor_audit_log", stdout=StringIO())
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", [events[-2].pk])
    raw(f"DELETE FROM {ANCHORS}")
    with pytest.raises(CommandError, match="CUT"):
        verify()


@pytest.mark.usefixtures("anchors_unguarded")
def test_a_forged_or_altered_anchor_is_reported(events, settings):
    call_command("anchor_audit_log", stdout=StringIO())
    AuditAnchor.objects.update(head_hash="0" * 64)  # as if someone re-anchored a rewritten log
    for file in settings.AUDIT_ANCHOR_DIR.glob("*.json"):
        file.unlink()
    with pytest.raises(CommandError, match="signature does not verify"):
        verify()
    (settings.AUDIT_ANCHOR_DIR / "x.json").write_text("not json")
    with pytest.raises(CommandError, match="not a readable anchor file"):
        verify()


@pytest.mark.usefixtures("unguarded")
def test_the_anchor_command_refuses_a_broken_chain(events):
    raw(f"UPDATE {TABLE} SET summary = 'x' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"breaks at event id {events[2].pk}"):
        call_command("anchor_audit_log", stdout=StringIO())
    assert not AuditAnchor.objects.exists()


def test_every_signed_document_anchors_the_head_it_prints(
    catalogue, officer, users, django_capture_on_commit_callbacks
):
    from tests.factories import make_review
    from tests.reports.test_services import build

    review = make_review(officer, **{"SYS-1": "partial"})
    build(
        review.filing, "review_record", users[Role.REVIEW_LEAD], django_capture_on_commit_callbacks
    )
    anchor = AuditAnchor.objects.get(reason="document")
    head = AuditEvent.objects.head()
    assert head is not None and (anchor.head_id, anchor.head_hash) == (head.pk, head.hash)
    assert anchor.document.startswith("review_record") and anchors.signature_valid(anchor)
    assert anchor.mailed_at is None  # it goes out with the next daily anchor's mail
    call_command("anchor_audit_log", stdout=StringIO())
    daily = OutgoingMail.objects.order_by("pk").last()  # the command's mail is the newest
    assert daily is not None and str(head.pk) in daily.subject
    assert anchor.head_hash in daily.body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_on_postgresql_anchors_can_only_be_marked_mailed(events):
    anchor = anchors.anchor_chain(reason="daily")
    assert anchor is not None
    AuditAnchor.objects.filter(pk=anchor.pk).update(mailed_at=anchor.created_at)  # allowed
    for statement in (f"UPDATE {ANCHORS} SET head_id = 1", f"DELETE FROM {ANCHORS}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(statement)
