import pytest

from reviews.forms import DeterminationForm
from reviews.services import file_incident_report
from tests.factories import incident_fields, make_review

pytestmark = pytest.mark.django_db


def test_each_upheld_candidates_reason_names_the_order_its_kind_leads_to(catalogue, officer):
    review = make_review(officer, **{"ORG-1": "not_implemented"})
    candidate = review.flags.get(item_code="ORG-1", kind="change_order")
    form = DeterminationForm(upheld=[candidate])
    label = form.fields[f"no_order_reason_{candidate.pk}"].label
    assert label == "ORG-1 の変更命令等候補について変更命令等を要しないとする理由"
    incident = file_incident_report(
        actor=officer, fields=incident_fields(supply_impact="disrupted"), related_items=[]
    )
    improvement = incident.flags.get(kind="improvement_order")
    form = DeterminationForm(upheld=[improvement])
    label = str(form.fields[f"no_order_reason_{improvement.pk}"].label)
    assert "業務改善命令候補について業務改善命令を要しない" in label
    assert "変更命令等" not in label
