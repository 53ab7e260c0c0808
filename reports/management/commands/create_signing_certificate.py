from django.conf import settings
from django.core.management.base import BaseCommand

from reports.signing import create_certificate


class Command(BaseCommand):
    help = "Create a self-signed development key and certificate for report signing (if missing)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace an existing pair.")

    def handle(self, *args, force: bool, **options):
        key, cert = settings.REPORT_SIGNING_KEY, settings.REPORT_SIGNING_CERT
        if key.exists() and cert.exists() and not force:
            self.stdout.write(f"Signing certificate present: {cert}")
            return
        if key.parent != cert.parent:
            self.stderr.write("Key and certificate must share a folder for the development pair.")
            return
        create_certificate(key.parent)
        self.stdout.write(self.style.SUCCESS(f"Created development signing certificate {cert}"))
