from django.core.management.base import BaseCommand

from outbox.services import send_due_mail


class Command(BaseCommand):
    help = "Send the queued e-mails that are due (run from cron every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Also those not due yet.")

    def handle(self, *args, **options):
        counts = send_due_mail(force=options["all"])
        summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        self.stdout.write(summary or "nothing due")
