from django.core.management.base import BaseCommand, CommandError

from legal.interchange import basis_set_to_document, dump_document
from legal.models import BasisSet


class Command(BaseCommand):
    help = "Export a version of the legal bases as YAML (default) or JSON."

    def add_arguments(self, parser):
        parser.add_argument("version")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
        parser.add_argument("--output", "-o", help="File to write; standard output by default.")

    def handle(self, *args, version: str, format: str, output: str | None, **options):
        try:
            basis_set = BasisSet.objects.get(version=version)
        except BasisSet.DoesNotExist as error:
            raise CommandError(f"No version {version} of the legal bases.") from error
        text = dump_document(basis_set_to_document(basis_set), format)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
