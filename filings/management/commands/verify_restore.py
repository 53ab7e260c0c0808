"""The checks of the backup and restore drill (scripts/restore-drill).

Before the dump, ``--write-inventory FILE`` writes what the source holds: rows per model and the
audit log's head. After the restore, ``--expected FILE`` (run with DATABASE_URL and MEDIA_ROOT of
the restored copy) checks the copy against it: the audit chain intact and ending at the same head,
the same row count for every model, and every stored file present with the SHA-256 recorded beside
it (evidence; reports and inquiry attachments follow the same naming, so they are checked too).
"""

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models

from accounts.models import AuditEvent


def row_counts() -> dict[str, int]:
    """Rows per model (many-to-many tables included), keyed by model label."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def inventory() -> dict:
    head = AuditEvent.objects.head()
    return {
        "counts": row_counts(),
        "audit_head": {"id": head.pk, "hash": head.hash} if head is not None else None,
    }


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField, str | None]]:
    """Every file field, and the field holding its SHA-256 if the model keeps one: ``sha256``
    beside ``file``, ``<name>_sha256`` beside any other name."""
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                digest = "sha256" if field.name == "file" else f"{field.name}_sha256"
                yield model, field, digest if digest in names else None


def file_sha256(field: models.FileField, name: str) -> str:
    with field.storage.open(name, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Command(BaseCommand):
    help = (
        "Backup and restore drill: write the source's inventory before the dump, or verify a "
        "restored database and evidence store against it (exit status 1 on any mismatch)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--write-inventory", type=Path, metavar="FILE")
        mode.add_argument("--expected", type=Path, metavar="FILE")

    def handle(self, *args, write_inventory: Path | None, expected: Path, **options):
        if write_inventory is not None:
            data = inventory()
            write_inventory.write_text(json.dumps(data, indent=1, sort_keys=True))
            self.stdout.write(
                f"inventory: {sum(data['counts'].values())} rows in {len(data['counts'])} "
                f"tables; audit head {data['audit_head']}"
            )
            return
        source = json.loads(expected.read_text())
        problems = [
            *self.check_audit_chain(source["audit_head"]),
            *self.check_counts(source["counts"]),
            *self.check_files(),
        ]
        for problem in problems:
            self.stderr.write(f"MISMATCH: {problem}")
        if problems:
            raise CommandError(f"Restore NOT verified: {len(problems)} mismatch(es).")
        self.stdout.write(self.style.SUCCESS("Restore verified."))

    def check_audit_chain(self, source_head: dict | None) -> list[str]:
        state = AuditEvent.objects.walk_chain()
        if state.broken_id is not None:
            return [f"audit log: the hash chain breaks at event id {state.broken_id}"]
        head = {"id": state.head_id, "hash": state.head_hash} if state.head_id else None
        if head != source_head:
            return [f"audit log: head {head} differs from the source's {source_head}"]
        self.stdout.write(
            f"audit log: {state.count} events, chain intact, head {head} as in the source"
        )
        return []

    def check_counts(self, source: dict[str, int]) -> list[str]:
        restored = row_counts()
        problems = [
            f"rows of {label}: {restored.get(label)} restored, {source.get(label)} in the source"
            for label in sorted(source.keys() | restored.keys())
            if restored.get(label) != source.get(label)
        ]
        if not problems:
            self.stdout.write(
                f"row counts: {sum(restored.values())} rows in {len(restored)} tables, "
                "each as in the source"
            )
        return problems

    def check_files(self) -> list[str]:
        problems: list[str] = []
        for model, field, digest_field in file_fields():
            label = f"{model._meta.label}.{field.name}"
            columns = ["pk", field.name, *([digest_field] if digest_field else [])]
            rows = (
                model._base_manager.exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .order_by("pk")
                .values_list(*columns)
                .iterator(chunk_size=500)
            )
            checked, before = 0, len(problems)
            for pk, name, *recorded in rows:
                checked += 1
                try:
                    actual = file_sha256(field, name)
                except OSError as error:
                    problems.append(f"{label} of id {pk}: {name} cannot be read ({error})")
                    continue
                if recorded and actual != recorded[0]:
                    problems.append(f"{label} of id {pk}: SHA-256 {actual}, recorded {recorded[0]}")
            check = "SHA-256 recomputed" if digest_field else "presence only (no SHA-256 kept)"
            self.stdout.write(
                f"files: {label}: {checked} files, {check}, {len(problems) - before} mismatches"
            )
        return problems
