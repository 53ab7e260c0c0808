"""manage.py verify_restore, the checks of the backup and restore drill (scripts/restore-drill),
run here against the suite's own database and evidence store standing in for a restored copy.
(The command lives in filings, which owns evidence; it checks the audit chain first.)"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import AuditAction, AuditEvent
from tests.factories import add_pdf, make_filing

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def evidence(catalogue, staff):
    filing = make_filing(staff)
    return [add_pdf(filing, staff, name=f"方針{n}.pdf") for n in range(2)]


@pytest.fixture
def inventory(tmp_path, evidence):
    path = tmp_path / "inventory.json"
    call_command("verify_restore", write_inventory=path, stdout=StringIO())
    return path


def verify(path) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_restore", expected=path, stdout=out, stderr=err)
    except CommandError as error:
        raise AssertionError(err.getvalue()) from error
    return out.getvalue()


def mismatches(path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="Restore NOT verified"):
        call_command("verify_restore", expected=path, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_the_inventory_holds_row_counts_and_the_audit_head(inventory, evidence):
    data = json.loads(inventory.read_text())
    head = AuditEvent.objects.head()
    assert head is not None
    assert data["audit_head"] == {"id": head.pk, "hash": head.hash}
    assert data["counts"]["filings.Evidence"] == 2
    assert data["counts"]["accounts.AuditEvent"] == AuditEvent.objects.count()
    assert "filings.Answer_evidence" in data["counts"]  # many-to-many tables too


def test_an_intact_copy_is_verified(inventory):
    out = verify(inventory)
    assert "chain intact" in out
    assert "filings.Evidence.file: 2 files, SHA-256 recomputed, 0 mismatches" in out
    assert "Restore verified." in out


def test_a_changed_evidence_file_is_a_mismatch(inventory, evidence):
    changed = evidence[1]
    with open(changed.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4\n% not what was uploaded\n%%EOF\n")
    assert f"filings.Evidence.file of id {changed.pk}: SHA-256" in mismatches(inventory)


def test_a_missing_evidence_file_is_a_mismatch(inventory, evidence):
    evidence[0].file.storage.delete(evidence[0].file.name)
    assert f"filings.Evidence.file of id {evidence[0].pk}: " in mismatches(inventory)


def test_rows_the_source_does_not_have_are_a_mismatch(inventory):
    # An event recorded after the inventory: one row more, and a different head.
    AuditEvent.objects.record(actor=None, action=AuditAction.REPORT_VERIFY)
    problems = mismatches(inventory)
    assert "rows of accounts.AuditEvent: " in problems
    assert "audit log: head " in problems


def test_a_lost_row_is_a_mismatch(inventory, evidence):
    data = json.loads(inventory.read_text())
    data["counts"]["filings.Evidence"] = 3  # as if a row had been lost in the restore
    inventory.write_text(json.dumps(data))
    assert "rows of filings.Evidence: 2 restored, 3 in the source" in mismatches(inventory)


def test_a_broken_audit_chain_is_a_mismatch(inventory):
    event = AuditEvent.objects.order_by("id").first()
    assert event is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # as a superuser could
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER accounts_auditevent_append_only")
        cursor.execute(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["改ざん", event.pk])
    assert f"audit log: the hash chain breaks at event id {event.pk}" in mismatches(inventory)
