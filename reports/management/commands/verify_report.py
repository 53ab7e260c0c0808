from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from filings.models import Submission
from reports.signing import verify_pdf


class Command(BaseCommand):
    help = (
        "Verify a report PDF: is its signature intact, and does its snapshot hash match a filing?"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            result = verify_pdf(path.read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from error
        submission = (
            Submission.objects.filter(sha256=result.snapshot_sha256).first()
            if result.snapshot_sha256
            else None
        )
        lines = [
            f"signed:            {result.signed}",
            f"intact:            {result.intact}",
            f"trusted:           {result.trusted}",
            f"covers whole file: {result.covers_whole_file}",
            f"signer:            {result.signer or '-'}",
            f"snapshot sha256:   {result.snapshot_sha256 or '-'}",
            f"matches filing:    {submission.receipt_number if submission else 'no'}",
        ]
        if result.error:
            lines.append(f"error:             {result.error}")
        self.stdout.write("\n".join(lines))
        if not (result.ok and submission):
            raise CommandError("The report could not be verified.")
