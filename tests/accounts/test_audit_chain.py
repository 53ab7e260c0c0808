"""The audit log's hash chain: how record() links events, and tampering with raw SQL (as a database
user would) detected at the right id. On PostgreSQL the append-only trigger is disabled inside the
test first, as the table owner or a superuser could; on SQLite there is nothing to disable."""

import importlib
import itertools
import json
import threading
from datetime import UTC, datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from accounts import audit_chain
from accounts.models import AuditAction, AuditEvent, Role

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
COLUMNS = [field for field in audit_chain.CHAIN_FIELDS if field != "id"]


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def unguarded(db):
    """What a database superuser can do: switch the append-only trigger off (PostgreSQL)."""
    if connection.vendor == "postgresql":
        # ALTER TABLE is refused while deferred foreign-key checks are pending: run them now.
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        raw(f"ALTER TABLE {TABLE} DISABLE TRIGGER accounts_auditevent_append_only")


@pytest.fixture
def chain(users, company) -> list[AuditEvent]:
    """Five events of varied content; tests tamper with the middle ones."""
    admin = users[Role.ADMIN]
    events = [
        AuditEvent.objects.record(
            actor=admin if n % 2 else None,
            action=AuditAction.ADMIN_CHANGE,
            target=company if n % 3 else None,
            ip_address="192.0.2.1" if n % 2 else "2001:DB8::7",
            summary=f"変更 {n}",
            data={"n": n, "text": "監査", "list": [n, None, True]},
        )
        for n in range(5)
    ]
    assert AuditEvent.objects.verify_chain() is None
    return events


def row(event: AuditEvent) -> dict:
    return AuditEvent.objects.filter(pk=event.pk).values(*audit_chain.CHAIN_FIELDS).get()


def as_sql(values: dict) -> list:
    """Column values as the table stores them: JSON as text, times as the backend writes them."""
    adapted = []
    for column, value in values.items():
        if column == "data":
            value = json.dumps(value)
        elif column == "created_at":
            value = connection.ops.adapt_datetimefield_value(value)
        adapted.append(value)
    return adapted


def overwrite(event_id: int, values: dict) -> None:
    assignments = ", ".join(f"{column} = %s" for column in values)
    raw(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*as_sql(values), event_id])


def insert(values: dict) -> None:
    placeholders = ", ".join(["%s"] * len(values))
    raw(f"INSERT INTO {TABLE} ({', '.join(values)}) VALUES ({placeholders})", as_sql(values))


def test_record_links_each_event_to_the_one_before_it():
    first = AuditEvent.objects.record(actor=None, action=AuditAction.REPORT_VERIFY, summary="a")
    second = AuditEvent.objects.record(actor=None, action=AuditAction.REPORT_VERIFY, summary="b")
    before = AuditEvent.objects.filter(pk__lt=first.pk).order_by("-pk").first()
    assert first.prev_hash == (before.hash if before else audit_chain.GENESIS)
    assert second.prev_hash == first.hash
    for event in (first, second):
        stored = row(event)
        assert stored["hash"] == event.hash and len(event.hash) == 64
        assert event.hash == audit_chain.event_hash(prev_hash=event.prev_hash, row=stored)
    assert AuditEvent.objects.head() == second
    assert AuditEvent.objects.verify_chain() is None


def test_the_first_event_links_to_sixty_four_zeros(unguarded):
    raw(f"DELETE FROM {TABLE}")  # the catalogue loaded for the suite may have recorded events
    event = AuditEvent.objects.record(actor=None, action=AuditAction.REPORT_VERIFY)
    assert event.prev_hash == "0" * 64


def test_the_hash_covers_the_content_as_stored_not_as_passed():
    # The database normalises an IPv6 address (and, on PostgreSQL, JSON numbers); verification
    # reads the stored values, so record must hash those.
    AuditEvent.objects.record(
        actor=None,
        action=AuditAction.REPORT_VERIFY,
        ip_address="2001:DB8:0:0::1",
        data={"big": 1e16, "float": 1.0, "nested": {"b": 1, "a": "ア"}},
    )
    assert AuditEvent.objects.verify_chain() is None


def test_the_chain_follows_ids_even_when_times_run_backwards(monkeypatch):
    # Two writers may take their times before they queue for the lock: the chain's order is the
    # order of the ids (of the appends), whatever created_at says.
    start = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    times = (start - timedelta(minutes=n) for n in itertools.count())
    created_at = AuditEvent._meta.get_field("created_at")
    monkeypatch.setattr(created_at, "_get_default", lambda: next(times))
    events = [
        AuditEvent.objects.record(actor=None, action=AuditAction.REPORT_VERIFY, summary=str(n))
        for n in range(3)
    ]
    assert events[0].created_at > events[1].created_at > events[2].created_at
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert AuditEvent.objects.verify_chain() is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    writers, per_writer = 6, 5
    before = AuditEvent.objects.count()  # the legal bases' import is logged before a test
    barrier = threading.Barrier(writers)
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for m in range(per_writer):
                with transaction.atomic():
                    AuditEvent.objects.record(
                        actor=None, action=AuditAction.REPORT_VERIFY, summary=f"{n}-{m}"
                    )
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    state = AuditEvent.objects.walk_chain()
    assert (state.broken_id, state.count) == (None, before + writers * per_writer)


# --- tampering with raw SQL ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("summary", "書き換え"),
        ("action", AuditAction.ADMIN_DELETE.value),
        ("actor_id", "another user"),
        ("target_type", "accounts.User"),
        ("target_id", "999"),
        ("data", '{"n": 2, "text": "監査", "list": [2, null, false]}'),
        ("ip_address", "198.51.100.9"),
        ("created_at", datetime(2020, 1, 1, tzinfo=UTC)),
        ("prev_hash", "e" * 64),
        ("hash", "f" * 64),
    ],
)
def test_an_edited_row_is_detected_at_its_id(chain, unguarded, column, value):
    edited = chain[2]  # recorded without an actor; chain[1] has one
    if column == "actor_id":
        value = chain[1].actor_id
    overwrite(edited.pk, {column: value})
    assert AuditEvent.objects.verify_chain() == edited.pk


def test_a_deleted_row_is_detected_at_the_next_id(chain, unguarded):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [chain[2].pk])
    assert AuditEvent.objects.verify_chain() == chain[3].pk


def test_an_inserted_row_is_detected_at_its_id(chain, unguarded):
    head = row(chain[-1])
    forged = {**head, "id": head["id"] + 1, "summary": "偽の記録", "prev_hash": head["hash"]}
    forged["hash"] = head["hash"]  # the forger cannot produce a matching hash without the rule
    insert(forged)
    assert AuditEvent.objects.verify_chain() == forged["id"]


def test_a_row_replaced_with_correctly_rehashed_content_is_detected_at_the_next_id(
    chain, unguarded
):
    # A forger who knows the rule, replacing a middle event: the event after it still points at
    # the original's hash.
    original = row(chain[2])
    forged = {**original, "summary": "偽の記録", "data": {"forged": True}}
    forged["hash"] = audit_chain.event_hash(prev_hash=forged["prev_hash"], row=forged)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [original["id"]])
    insert(forged)
    assert AuditEvent.objects.verify_chain() == chain[3].pk


@pytest.mark.parametrize("with_hashes", [True, False], ids=["whole-rows", "content-only"])
def test_swapped_rows_are_detected_at_the_first_of_them(chain, unguarded, with_hashes):
    first, second = row(chain[1]), row(chain[3])
    columns = COLUMNS if with_hashes else [c for c in COLUMNS if c not in ("prev_hash", "hash")]
    for target, source in ((first, second), (second, first)):
        overwrite(target["id"], {column: source[column] for column in columns})
    assert AuditEvent.objects.verify_chain() == chain[1].pk


def test_a_removed_tail_passes_the_chain_but_not_a_printed_anchor(chain, unguarded):
    # What the chain cannot show alone: the last events dropped. The head printed in a report is
    # the anchor that shows it.
    anchor = f"--anchor={chain[-1].pk}:{chain[-1].hash}"
    call_command("verify_audit_log", anchor, stdout=StringIO())
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", [chain[-2].pk])
    assert AuditEvent.objects.verify_chain() is None
    with pytest.raises(CommandError, match="no longer in the audit log"):
        call_command("verify_audit_log", anchor, stdout=StringIO())


# --- manage.py verify_audit_log ------------------------------------------------------------
def test_verify_audit_log_prints_the_count_and_the_head(chain):
    out = StringIO()
    call_command("verify_audit_log", f"--anchor={chain[2].pk}:{chain[2].hash}", stdout=out)
    head = AuditEvent.objects.head()
    assert head is not None
    assert f"{AuditEvent.objects.count()} audit events" in out.getvalue()
    assert f"event id {head.pk}, hash {head.hash}" in out.getvalue()


def test_verify_audit_log_names_the_first_broken_id(chain, unguarded):
    overwrite(chain[3].pk, {"summary": "x"})
    overwrite(chain[4].pk, {"summary": "y"})
    with pytest.raises(CommandError, match=f"breaks at event id {chain[3].pk} "):
        call_command("verify_audit_log")


def test_the_migration_links_events_recorded_before_the_chain(unguarded):
    for n in range(3):
        insert(
            {
                "created_at": datetime(2026, 1, 1 + n, tzinfo=UTC),
                "action": AuditAction.REPORT_VERIFY.value,
                "target_type": "",
                "target_id": "",
                "summary": f"old {n}",
                "data": {},
                "ip_address": None,
                "prev_hash": "",
                "hash": "",
            }
        )
    assert AuditEvent.objects.verify_chain() is not None
    migration = importlib.import_module("accounts.migrations.0002_audit_hash_chain")
    migration.link_existing_events(apps, SimpleNamespace(connection=connection))
    assert AuditEvent.objects.verify_chain() is None
