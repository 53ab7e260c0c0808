"""``{% regime_of filing as regime %}``: the regime of a notification (advance 第7項 / after the
fact 第9項) with the basis it follows from, and whether it is settled (要確認 where it is not)."""

from django import template

from legal.models import LegalBasis, Regime

register = template.Library()
CODES = {Regime.ADVANCE: "eba-27-30-7", Regime.AFTER_THE_FACT: "eba-27-30-9"}


@register.simple_tag
def regime_of(filing) -> dict:
    regime, settled = filing.regime
    codes = [CODES[Regime(regime)], "self-assessment-matter"]
    bases = {
        basis.code: basis
        for basis in LegalBasis.objects.current().select_related("basis_set").filter(code__in=codes)
    }
    return {
        "code": regime,
        "label": Regime(regime).label,
        "settled": settled,
        "is_new": filing.kind == "new",
        "basis": bases.get(codes[0]),
        "open_question": bases.get(codes[1]),
    }
