"""Which navbar section the current page belongs to, so that the navbar can mark it."""

from django import template

register = template.Library()

# URL names of the reviews app that belong to a section other than the review queue.
REVIEWS_SECTIONS = {
    "dashboard": "dashboard",
    "incident_list": "incidents",
    "incident_create": "incidents",
    "incident_detail": "incidents",
    "incident_determine": "incidents",
}


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.url_name == "home":
        return "home"
    if match.namespace in ("filings", "reports"):
        return "filings"
    if match.namespace == "checklists":
        return "catalogue"
    if match.namespace == "orders":
        return "orders"
    if match.namespace == "consultations":
        return "consultations"
    if match.namespace == "reviews":
        if match.url_name in REVIEWS_SECTIONS:
            return REVIEWS_SECTIONS[match.url_name]
        # An inquiry is part of the filer's filing and of the regulator's review.
        return "queue" if request.user.is_regulator_user else "filings"
    return ""
