from django.core.management.base import BaseCommand, CommandError

from accounts import anchors
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Anchor the audit log (once a day, from cron): sign its chain head with the report key, "
        "keep it outside the audit table and mail it to the admins with every anchor since the "
        "last mail. Refuses when the chain is already broken."
    )

    def handle(self, *args, **options) -> None:
        broken = AuditEvent.objects.verify_chain()
        if broken is not None:
            raise CommandError(f"BROKEN: the chain breaks at event id {broken}; nothing anchored.")
        anchor = anchors.anchor_daily()
        if anchor is None:
            self.stdout.write("The audit log is empty: nothing to anchor.")
            return
        self.stdout.write(f"Anchored event id {anchor.head_id}, hash {anchor.head_hash}")
