"""PostgreSQL triggers refuse UPDATE and DELETE on audit events and on submissions (the filed
snapshots), whoever sends them: raw SQL as a database user would, or a queryset bypassing the
models' save() and delete(). CI runs the suite on PostgreSQL; SQLite has no such triggers."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import AuditAction, AuditEvent
from filings.models import Submission
from tests.factories import make_submitted

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers"),
]

AUDIT = AuditEvent._meta.db_table
SUBMISSION = Submission._meta.db_table


def refused(sql: str, params: list, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)


@pytest.fixture
def event() -> AuditEvent:
    return AuditEvent.objects.record(actor=None, action=AuditAction.REPORT_VERIFY, summary="原本")


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        (f"UPDATE {AUDIT} SET summary = %s WHERE id = %s", ["書き換え"]),
        (f"UPDATE {AUDIT} SET hash = %s WHERE id = %s", ["f" * 64]),
        (f"UPDATE {AUDIT} SET prev_hash = %s, hash = %s WHERE id = %s", ["", ""]),
        (f"DELETE FROM {AUDIT} WHERE id = %s", []),
    ],
    ids=["edit-content", "edit-hash", "clear-hashes", "delete"],
)
def test_raw_sql_cannot_change_or_delete_an_audit_event(event, sql, params):
    refused(sql, [*params, event.pk], match="Audit events are append-only")
    assert AuditEvent.objects.filter(pk=event.pk, summary="原本", hash=event.hash).exists()
    assert AuditEvent.objects.verify_chain() is None


def test_a_queryset_update_bypassing_save_is_refused_too(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="書き換え")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(using="default")


def test_the_link_fill_in_is_the_only_update_allowed_and_only_with_nothing_else():
    # record() inserts with empty hashes and fills them in; a write that fills them in and also
    # changes content is refused.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AUDIT} (created_at, action, target_type, target_id, summary, data, "
            "prev_hash, hash) VALUES (now(), %s, '', '', %s, '{}', '', '') RETURNING id",
            [AuditAction.REPORT_VERIFY.value, "新規"],
        )
        (event_id,) = cursor.fetchone()
    refused(
        f"UPDATE {AUDIT} SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
        ["別物", "0" * 64, "a" * 64, event_id],
        match="append-only",
    )
    refused(
        f"UPDATE {AUDIT} SET prev_hash = %s, hash = %s WHERE id = %s",
        ["0" * 64, "not hex", event_id],
        match="append-only",
    )


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        (f"UPDATE {SUBMISSION} SET canonical_json = %s WHERE id = %s", ["{}"]),
        (f"UPDATE {SUBMISSION} SET sha256 = %s WHERE id = %s", ["0" * 64]),
        (f"DELETE FROM {SUBMISSION} WHERE id = %s", []),
    ],
    ids=["edit-snapshot", "edit-hash", "delete"],
)
def test_raw_sql_cannot_change_or_delete_a_submission(catalogue, officer, sql, params):
    submission = make_submitted(officer).submission
    refused(sql, [*params, submission.pk], match="Submissions are immutable")
    stored = Submission.objects.get(pk=submission.pk)
    assert (stored.canonical_json, stored.sha256) == (submission.canonical_json, submission.sha256)
