"""On PostgreSQL, a trigger refuses UPDATE and DELETE on submissions (what was filed, and its
SHA-256), so that not even a database user changes a filed snapshot without disabling it first.
The model already refuses both in Django; SQLite has no equivalent."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION filings_submission_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'Submissions are immutable: ' || TG_OP || ' refused on ' || TG_TABLE_NAME;
END
$$
"""
TRIGGER = """
CREATE TRIGGER filings_submission_immutable
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION filings_submission_immutable()
"""
DROP = """
DROP TRIGGER IF EXISTS filings_submission_immutable ON {table};
DROP FUNCTION IF EXISTS filings_submission_immutable();
"""


def _table(apps, schema_editor) -> str:
    return schema_editor.quote_name(apps.get_model("filings", "Submission")._meta.db_table)


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
    dependencies = [("filings", "0001_filings_answers_evidence_submissions")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
