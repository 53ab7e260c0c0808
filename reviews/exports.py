"""CSV for Japanese Excel: UTF-8 with BOM, formula injection neutralised.

``csv_safe_row`` is the one neutraliser for every CSV the portal writes (this queue export and the
evidence package's manifest in ``reports.rendering``).
"""

import csv
import itertools
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# Excel and LibreOffice evaluate a cell that starts with one of these (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500  # reviews read per query while the CSV streams


def safe_cell(value: object) -> object:
    if isinstance(value, int | float):
        return value  # numbers (negative days left) are data, not formulas
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_safe_row(values: Iterable[object]) -> list[object]:
    """One CSV row with every text cell that a spreadsheet would run as a formula quoted."""
    return [safe_cell(value) for value in values]


class _Line:
    """What csv.writer writes to: each row comes back as its text, to be streamed."""

    def write(self, text: str) -> str:
        return text


def queue_rows(reviews, language: str) -> Iterator[list[object]]:
    """The header, then one row per review, read in chunks: memory stays flat at any size.
    Rows are made while the response streams, after the view returned: in its language."""
    with translation.override(language):
        yield from _rows(reviews)


def _rows(reviews) -> Iterator[list[object]]:
    yield [
        _("Receipt number"),
        _("Aggregator"),
        _("Kind"),
        _("Received at"),
        _("Days left in the order window"),
        _("Open candidates"),
        _("Assignee"),
        _("Status"),
    ]
    for review in reviews.iterator(chunk_size=CHUNK):
        filing = review.filing
        yield csv_safe_row(
            (
                filing.receipt_number,
                filing.organisation.name,
                filing.get_kind_display(),
                f"{timezone.localtime(review.received_at):%Y-%m-%d %H:%M}",
                # as the queue shows it: days left in the order window
                ""
                if review.is_decided or not review.has_order_window
                else review.order_window_days_left,
                review.open_candidates,
                review.assignee.full_name if review.assignee else "",
                review.get_status_display(),
            )
        )


def queue_csv(reviews) -> StreamingHttpResponse:
    """The queue as CSV, streamed row by row as it is read (the BOM first, for Excel)."""
    writer = csv.writer(_Line())
    rows = queue_rows(reviews, translation.get_language())
    lines = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], lines), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="review-queue-{stamp}.csv"'
    return response
