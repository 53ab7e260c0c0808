from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from checklists.interchange import CatalogueFormatError, load_document
from checklists.services import import_catalogue


class Command(BaseCommand):
    help = "Import a catalogue version from a YAML or JSON interchange file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish it after import.")

    def handle(self, *args, path: Path, publish: bool, **options):
        try:
            catalogue = import_catalogue(data=load_document(path), actor=None, publish=publish)
        except (OSError, CatalogueFormatError, ValidationError) as error:
            raise CommandError(f"{path}: {error}") from error
        count = catalogue.items.count()
        self.stdout.write(f"Imported catalogue {catalogue.version} with {count} items.")
