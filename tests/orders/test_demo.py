from io import StringIO

from django.core.management import call_command

from orders.models import Notice, OrderCase


def test_the_demo_holds_a_case_at_each_stage(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", password="demo-password-2026", stdout=StringIO())
    call_command("seed_demo", password="demo-password-2026", stdout=StringIO())  # idempotent
    cases = OrderCase.objects.all()
    issued = Notice.objects.filter(status="issued")
    assert cases.filter(explanation__isnull=True, notices__kind="procedure_notice").exists()
    assert cases.filter(explanation__isnull=False, opinion__isnull=True).exists()
    assert cases.filter(opinion__arrived_on__isnull=False, notices__status="draft").exists()
    assert issued.filter(kind="order", delivered_on__isnull=True).exists()
    assert cases.filter(follow_ups__status="due", kind="improvement_order").exists()
    assert cases.filter(outcome="no_order").exists()
    numbers = [n for n in issued.values_list("sequence_number", flat=True) if n is not None]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))  # one sequence, no gap
