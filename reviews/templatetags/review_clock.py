"""``{% review_clock review %}``: the statute's clock of a review with the bases it cites and the
notices on the period, for the review page (regulators) and the filing page (the filer)."""

from django import template

from legal.models import LegalBasis

register = template.Library()

CLOCK_BASES = {
    "period": "eba-27-30-3",
    "window": "eba-27-30-5",
    "after_the_fact": "eba-27-30-9",
}


def clock_bases() -> dict:
    """The bases the clock cites, by role (one query)."""
    rows = LegalBasis.objects.current().select_related("basis_set")
    by_code = {basis.code: basis for basis in rows.filter(code__in=CLOCK_BASES.values())}
    return {name: by_code.get(code) for name, code in CLOCK_BASES.items()}


@register.inclusion_tag("reviews/review_clock.html")
def review_clock(review) -> dict:
    return {
        "review": review,
        "clock_bases": clock_bases(),
        "notices": list(review.period_notices.select_related("basis__basis_set")),
    }
