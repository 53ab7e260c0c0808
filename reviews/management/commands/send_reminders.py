"""Daily reminders by e-mail (run once a day by cron or a scheduler; safe to run more often)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail filers about inquiries due within 3 days, and reviewers and leads about open "
        "reviews whose order window ends within 10, 5 and 2 days; each reminder goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today, JST)"
        )

    def handle(self, *args, today=None, **options):
        sent = send_due_reminders(today=today or timezone.localdate())
        for kind, count in sent.items():
            self.stdout.write(f"{kind}: {count} sent")
