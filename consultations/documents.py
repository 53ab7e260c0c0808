"""The table of opinions and responses as plain data: what the PDF prints and nothing more.

Submitters are named only when they consented; otherwise the table says the name is withheld.
Who drafted a response and who recorded an opinion stay out (internal)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import CommentPeriod


def _items(items) -> list[str]:
    return [f"{item.code} {item.title_ja}" for item in items]


def response_table(period: CommentPeriod) -> dict:
    """Rows in the source's form: 寄せられた主な御意見 beside 御意見に対する考え方（案）, one row
    per response, its opinions together in the left column."""
    opinions = list(
        period.opinions.select_related("response")
        .prefetch_related("items", "response__changed_items")
        .order_by("received_on", "id")
    )
    numbers = {opinion.pk: number for number, opinion in enumerate(opinions, start=1)}
    rows: dict[int, dict] = {}
    for opinion in opinions:
        response = opinion.response
        assert response is not None  # approval requires a response to every opinion
        row = rows.setdefault(
            response.pk,
            {
                "opinions": [],
                "response": response.body,
                "changes_draft": response.changes_draft,
                "changed_items": _items(response.changed_items.all()),
            },
        )
        row["opinions"].append(
            {
                "number": numbers[opinion.pk],
                "submitter": opinion.public_submitter(),
                "channel": opinion.get_channel_display(),
                "received_on": opinion.received_on.isoformat(),
                "items": _items(opinion.items.all()) or [_("The whole draft")],
                "body": opinion.body,
            }
        )
    catalogue = period.catalogue
    return {
        "version": catalogue.version,
        "title_ja": catalogue.title_ja,
        "based_on": catalogue.based_on.version if catalogue.based_on else "",
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "opinion_count": len(opinions),
        "submitter_count": len({(o.channel, o.submitter_name) for o in opinions}),
        "approved_at": timezone.localtime(period.approved_at).isoformat()
        if period.approved_at
        else None,
        "rows": list(rows.values()),
    }
