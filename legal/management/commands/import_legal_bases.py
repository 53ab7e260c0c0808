from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from legal.interchange import LegalFormatError, load_document
from legal.models import BasisSet
from legal.services import import_basis_set


class Command(BaseCommand):
    help = "Import a version of the legal bases from a YAML or JSON file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish it after import.")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when the version already exists (for setup scripts).",
        )

    def handle(self, *args, path: Path, publish: bool, if_missing: bool, **options):
        try:
            data = load_document(path)
            if if_missing and BasisSet.objects.filter(version=data.get("version")).exists():
                return
            basis_set = import_basis_set(data=data, actor=None, publish=publish)
        except (OSError, LegalFormatError, ValidationError) as error:
            raise CommandError(f"{path}: {error}") from error
        count = basis_set.bases.count()
        self.stdout.write(f"Imported legal bases {basis_set.version} with {count} bases.")
