from datetime import date

from django import template

from orders.wareki import wareki as to_wareki

register = template.Library()


@register.filter
def wareki(value) -> str:
    """令和8年12月3日 for a date (or an ISO date string); empty for nothing."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return to_wareki(day)
