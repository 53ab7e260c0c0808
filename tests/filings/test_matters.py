"""A change notification states its notified matters (27条の30第1項 一–六); the regime follows:
三 or 四 → in advance (第7項, with the clock), only others → after the fact (第9項, no window);
none stated → in advance, marked 要確認."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from filings import services
from legal.models import NotifiedMatter
from reviews.services import determine_review
from tests.factories import answer_all, make_filing, make_submitted, user_with_role

pytestmark = pytest.mark.django_db


def matters(*numbers):
    return list(NotifiedMatter.objects.current().filter(number__in=numbers))


@pytest.fixture
def change(catalogue, officer):
    original = make_submitted(officer)
    return services.start_change_notification(filing=original, actor=officer)


@pytest.mark.parametrize(
    ("numbers", "regime", "settled"),
    [
        ((1,), "after_the_fact", True),
        ((1, 2, 5, 6), "after_the_fact", True),
        ((3,), "advance", True),
        ((1, 4), "advance", False),  # 四 holds the self-assessment by configuration: 要確認
        ((), "advance", False),  # nothing stated: the safe side, 要確認
    ],
)
def test_the_regime_follows_the_matters(change, officer, numbers, regime, settled):
    services.set_changed_matters(filing=change, actor=officer, matters=matters(*numbers))
    assert change.regime == (regime, settled)


def test_a_new_notification_waits_30_days(catalogue, officer):
    assert make_submitted(officer).regime == ("advance", True)


def test_a_change_notified_after_the_fact_opens_a_review_without_a_window(change, officer, users):
    services.set_changed_matters(filing=change, actor=officer, matters=matters(2))
    answer_all(change, **{"SYS-1": "partial"})
    services.submit_filing(filing=change, actor=officer)
    review = change.review
    assert not review.has_order_window and not review.is_order_window_open
    for flag in review.flags.exclude(kind="reference"):
        from reviews.services import decide_flag

        decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    with pytest.raises(ValidationError, match="第27条の30第9項"):
        determine_review(
            review=review,
            actor=users[Role.REVIEW_LEAD],
            determination="order_procedure",
            reason="変更命令相当",
        )
    page = Client()
    page.force_login(users[Role.REVIEWER])
    content = page.get(review.get_absolute_url()).content.decode()
    assert "事後の変更届出：待機期間・命令期限なし。" in content
    assert "電気事業法第27条の30第9項" in content


def test_the_matters_are_stated_only_on_a_change_draft(change, officer):
    with pytest.raises(ValidationError):
        services.set_changed_matters(filing=make_filing(officer), actor=officer, matters=matters(1))
    with pytest.raises(PermissionDenied):
        services.set_changed_matters(filing=change.amends, actor=officer, matters=matters(1))


def test_the_filer_states_the_matters_on_the_draft_page_and_sees_the_regime(change, staff):
    client = Client()
    client.force_login(staff)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "変更する届出事項" in page and "要確認" in page  # nothing stated yet: in advance
    four = NotifiedMatter.objects.current().get(number=4)
    response = client.post(
        reverse("filings:filing_matters", args=[change.pk]), {"matters": [four.pk]}, follow=True
    )
    content = response.content.decode()
    assert "変更する届出事項を保存しました。" in content
    assert "事前届出（第27条の30第7項）" in content and "電気事業法第27条の30第7項" in content
    assert list(change.changed_matters.all()) == [four]


@pytest.mark.parametrize(
    ("role", "other", "status"),
    [
        (Role.AGGREGATOR_STAFF, True, 404),
        (Role.REVIEWER, False, 403),
        (Role.REVIEW_LEAD, False, 403),
        (Role.ADMIN, False, 403),
    ],
)
def test_only_the_filer_states_the_matters(change, other_company, role, other, status):
    client = Client()
    client.force_login(user_with_role(role, other_company if other else None))
    one = NotifiedMatter.objects.current().get(number=1)
    response = client.post(
        reverse("filings:filing_matters", args=[change.pk]), {"matters": [one.pk]}
    )
    assert response.status_code == status
    assert not change.changed_matters.exists()
    assert client.get(reverse("filings:filing_matters", args=[change.pk])).status_code in {
        403,
        404,
        405,
    }
