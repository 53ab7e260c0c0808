"""On PostgreSQL, a trigger refuses UPDATE and DELETE on audit events, so that a database user
cannot change the log without disabling it (as the table owner or a superuser), and the hash chain
catches what is changed that way. SQLite has no equivalent: there the chain alone detects it."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The one update AuditEvent.objects.record makes: linking a new event into the chain in the
    -- transaction that inserted it (both hashes empty before, well-formed after, nothing else).
    IF TG_OP = 'UPDATE' AND OLD.hash = '' AND OLD.prev_hash = ''
        AND NEW.hash ~ '^[0-9a-f]{64}$' AND NEW.prev_hash ~ '^[0-9a-f]{64}$'
        AND (to_jsonb(NEW) - 'hash' - 'prev_hash') = (to_jsonb(OLD) - 'hash' - 'prev_hash')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'Audit events are append-only: ' || TG_OP || ' refused on ' || TG_TABLE_NAME;
END
$$
"""
TRIGGER = """
CREATE TRIGGER accounts_auditevent_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only()
"""
DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON {table};
DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
"""


def _table(apps, schema_editor) -> str:
    return schema_editor.quote_name(apps.get_model("accounts", "AuditEvent")._meta.db_table)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(TRIGGER.format(table=_table(apps, schema_editor)), params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP.format(table=_table(apps, schema_editor)), params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_hash_chain")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
