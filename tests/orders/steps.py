"""The steps of a case driven through the services, for tests that start further along."""

from datetime import timedelta

from django.utils import timezone

from orders import services
from orders.models import Notice, OrderCase


def today():
    return timezone.localdate()


def choose(case, actor, procedure="bemmei") -> OrderCase:
    return services.choose_procedure(
        case=case,
        actor=actor,
        procedure=procedure,
        reason="行政手続法13条1項1号に該当しないため。",
        kind=case.kind,
        representative="代表取締役 山田 太郎",
    )


def issue_procedure_notice(case, reviewer, lead, due_in=10) -> Notice:
    choose(case, reviewer)
    notice = services.draft_notice(
        case=case,
        actor=reviewer,
        kind="procedure_notice",
        fields={
            "disposition": "届出に係るサイバーセキュリティ対策の変更を命ずる。",
            "reasons": "",
            "due_on": today() + timedelta(days=due_in),
            "place": "資源エネルギー庁 電力・ガス事業部",
            "hearing_at": None,
        },
    )
    return services.issue_notice(notice=notice, actor=lead)


def record_opinion(case, reviewer):
    return services.record_opinion(
        case=case,
        actor=reviewer,
        fields={
            "requested_on": today(),
            "opinion": "命令を行うことが適当である。",
            "arrived_on": today(),
            "published_on": None,
            "released": False,
        },
    )


def draft_order(case, reviewer) -> Notice:
    return services.draft_notice(
        case=case,
        actor=reviewer,
        kind="order",
        fields={
            "disposition": "ORG-1 の対策を実施し、変更届出を行うこと。",
            "due_on": today() + timedelta(days=60),
            "reasons": "勧告事項が届出時に満たされていない。",
        },
    )


def explained(case, officer):
    return services.submit_explanation(case=case, actor=officer, text="弁明します。")
