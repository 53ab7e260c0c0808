"""CSV for Japanese Excel: UTF-8 with BOM, formula injection neutralised."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, int | float):
        return value  # numbers (negative days left) are data, not formulas
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def queue_csv(reviews) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Receipt number"),
            _("Aggregator"),
            _("Kind"),
            _("Received at"),
            _("Days left"),
            _("Open candidates"),
            _("Assignee"),
            _("Status"),
        ]
    )
    for review in reviews:
        filing = review.filing
        writer.writerow(
            safe_cell(value)
            for value in (
                filing.receipt_number,
                filing.organisation.name,
                filing.get_kind_display(),
                f"{timezone.localtime(review.received_at):%Y-%m-%d %H:%M}",
                review.days_left,
                review.open_candidates,
                review.assignee.full_name if review.assignee else "",
                review.get_status_display(),
            )
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="review-queue-{stamp}.csv"'
    return response
