"""Daily reminders of the deadlines in order procedures (run beside send_reminders)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from orders.reminders import send_order_reminders


class Command(BaseCommand):
    help = (
        "E-mail the filer about a written explanation or a follow-up due within 3 days, and the "
        "reviewers about an order window ending within 5 days; each reminder goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today, JST)"
        )

    def handle(self, *args, today=None, **options):
        sent = send_order_reminders(today=today or timezone.localdate())
        for kind, count in sent.items():
            self.stdout.write(f"{kind}: {count} sent")
