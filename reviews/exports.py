"""CSV for Japanese Excel: UTF-8 with BOM, formula injection neutralised.

``csv_safe_row`` is the one neutraliser for every CSV the portal writes (this queue export and the
evidence package's manifest in ``reports.rendering``).
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# Excel and LibreOffice evaluate a cell that starts with one of these (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, int | float):
        return value  # numbers (negative days left) are data, not formulas
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_safe_row(values: Iterable[object]) -> list[object]:
    """One CSV row with every text cell that a spreadsheet would run as a formula quoted."""
    return [safe_cell(value) for value in values]


def queue_csv(reviews) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Receipt number"),
            _("Aggregator"),
            _("Kind"),
            _("Received at"),
            _("Days left in the order window"),
            _("Open candidates"),
            _("Assignee"),
            _("Status"),
        ]
    )
    for review in reviews:
        filing = review.filing
        writer.writerow(
            csv_safe_row(
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
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="review-queue-{stamp}.csv"'
    return response
