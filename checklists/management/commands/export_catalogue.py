from django.core.management.base import BaseCommand, CommandError

from checklists.interchange import catalogue_to_document, dump_document
from checklists.models import Catalogue


class Command(BaseCommand):
    help = "Export a catalogue version as YAML (default) or JSON to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("version")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
        parser.add_argument("--output", "-o", help="File to write; standard output by default.")

    def handle(self, *args, version: str, format: str, output: str | None, **options):
        try:
            catalogue = Catalogue.objects.get(version=version)
        except Catalogue.DoesNotExist as error:
            raise CommandError(f"No catalogue version {version}.") from error
        text = dump_document(catalogue_to_document(catalogue), format)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
