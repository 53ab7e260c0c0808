"""The draft's notice about catalogue versions: a newer one to move to, answers to confirm."""

from django import template

from filings import carryover

register = template.Library()


@register.inclusion_tag("filings/carryover_notice.html")
def carryover_notice(filing):
    if not filing.is_draft:
        return {"filing": filing, "notice": {}}
    notice = {
        "target": carryover.next_version(filing),
        "carried": filing.answers.exclude(carry_state="").count(),
        "moved": filing.carry_overs.filter(undone_at__isnull=True).exists(),
    }
    return {"filing": filing, "notice": notice}
