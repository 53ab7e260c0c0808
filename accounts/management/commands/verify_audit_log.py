import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import anchors
from accounts.models import AuditEvent

ANCHOR = re.compile(r"^(?P<id>\d+):(?P<hash>[0-9a-f]{64})$")


def anchor(value: str) -> tuple[int, str]:
    match = ANCHOR.match(value.strip().lower())
    if match is None:
        raise ValueError(value)
    return int(match["id"]), match["hash"]


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: print the event count and head hash, or the id of the "
        "first event that breaks the chain (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            type=anchor,
            action="append",
            default=[],
            metavar="ID:HASH",
            help=(
                "A head printed earlier (e.g. in a signed report) that must still be in the "
                "chain; catches events removed from the end, which the chain alone cannot."
            ),
        )

    def handle(self, *args, anchor: list[tuple[int, str]], **options) -> None:
        state = AuditEvent.objects.walk_chain()
        if state.broken_id is not None:
            raise CommandError(
                f"BROKEN: the audit log's hash chain breaks at event id {state.broken_id} "
                f"({state.count} events before it are intact)."
            )
        for event_id, event_hash in anchor:
            # The chain is intact, so an event with this id and hash vouches for all before it.
            if not AuditEvent.objects.filter(pk=event_id, hash=event_hash).exists():
                raise CommandError(
                    f"BROKEN: anchor {event_id}:{event_hash} is no longer in the audit log."
                )
        # Every stored anchor (table and files), without being told where to look.
        stored = anchors.check_anchors()
        if stored.problems:
            raise CommandError("BROKEN: " + "\n".join(stored.problems))
        head = f"event id {state.head_id}, hash {state.head_hash}" if state.head_id else "none"
        self.stdout.write(f"OK: {state.count} audit events, chain intact; head: {head}")
        if stored.newest is not None:
            self.stdout.write(
                f"OK: {stored.checked} signed anchors reached, the newest at event id "
                f"{stored.newest.head_id}"
            )
        for event_id, _hash in anchor:
            self.stdout.write(f"OK: anchor event id {event_id} is in the chain")
