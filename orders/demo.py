"""Demo order procedures, one at each stage (seed_demo): notice issued, 弁明書 received, opinion
recorded, order issued, follow-up due, and one closed without an order."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from filings.demo import submitted_filing
from orders import services
from orders.models import IssuingAuthority, Notice, OrderCase
from reviews.models import Flag, IncidentReport, Review
from reviews.services import decide_flag, determine_incident, determine_review

AUTHORITY = {
    "name": "経済産業省 資源エネルギー庁（デモ）",
    "signatory": "経済産業大臣",
    "address": "東京都千代田区霞が関一丁目3番1号",
    "appeal_authority": "経済産業大臣",
    "explanation_address": "資源エネルギー庁 電力・ガス事業部 電力基盤整備課（デモ）",
    "is_default": True,
}
DISPOSITION = (
    "届出に係るサイバーセキュリティ対策について、勧告事項を満たすよう変更することを命ずる。"
)
REASON = "勧告事項が届出時に満たされておらず、需要家の利益を阻害するおそれがある。"


def _today():
    return timezone.localdate()


def _to_procedure(owner, reviewer: User, lead: User) -> OrderCase:
    for flag in owner.flags.awaiting_decision():
        decision = "uphold" if flag.is_candidate else "withdraw"
        decide_flag(flag=flag, actor=reviewer, decision=decision, reason="デモの判断。")
    if isinstance(owner, Review):
        determine_review(review=owner, actor=lead, determination="order_procedure", reason=REASON)
    else:
        determine_incident(
            incident=owner, actor=lead, determination="order_procedure", reason=REASON
        )
    return OrderCase.objects.get(pk=type(owner).objects.get(pk=owner.pk).order_case.pk)


def _notice(case: OrderCase, reviewer: User, lead: User) -> Notice:
    services.choose_procedure(
        case=case, actor=reviewer, procedure="bemmei", kind=case.kind,
        reason="行政手続法第13条第1項第1号に掲げる場合に該当しないため。",
        representative="代表取締役 デモ 太郎",
    )  # fmt: skip
    notice = services.draft_notice(
        case=case, actor=reviewer, kind="procedure_notice",
        fields={
            "disposition": DISPOSITION,
            "reasons": "", "due_on": _today() + timedelta(days=10),
            "place": AUTHORITY["explanation_address"], "hearing_at": None,
        },
    )  # fmt: skip
    return services.issue_notice(notice=notice, actor=lead)


def _deliver(notice: Notice, reviewer: User) -> None:
    if notice.delivered_on is None:
        services.record_delivery(notice=notice, actor=reviewer, delivered_on=_today())


def _explain_and_opinion(case: OrderCase, reviewer: User, officer: User) -> None:
    services.submit_explanation(
        case=case, actor=officer,
        text="指摘の対策は来月末までに実施する予定であり、暫定措置として監視を強化している。",
    )  # fmt: skip
    services.record_opinion(
        case=case, actor=reviewer,
        fields={"requested_on": _today(), "opinion": "命令を行うことが適当である。",
                "arrived_on": _today(), "published_on": None, "released": True},
    )  # fmt: skip


def _order(case: OrderCase, reviewer: User, lead: User, *, issue: bool) -> Notice:
    order = services.draft_notice(
        case=case, actor=reviewer, kind="order",
        fields={"disposition": "維持された指摘に係る対策を実施し、その内容を届け出ること。",
                "due_on": _today() + timedelta(days=45),
                "reasons": "届出時に勧告事項が満たされておらず、弁明によっても解消されていない。"},
    )  # fmt: skip
    return services.issue_notice(notice=order, actor=lead) if issue else order


def seed_orders(*, reviewer: User, lead: User, officers: dict[str, User], staff: dict[str, User]):
    if Notice.objects.exists():
        return
    IssuingAuthority.objects.get_or_create(name=AUTHORITY["name"], defaults=AUTHORITY)
    services.record_consent(actor=officers["a"], consent=True, email=officers["a"].email)
    open_reviews = (
        Review.objects.open()
        .filter(flags__kind=Flag.Kind.CHANGE_ORDER)
        .exclude(flags__decision=Flag.Decision.INQUIRE)  # waiting for the filer's answer
        .distinct()
    )
    for key in ("a", "b"):  # two more notifications each, with unmet items
        for unmet in ({"ORG-1": "not_implemented"}, {"SYS-2": "partial"}):
            submitted_filing(staff=staff[key], officer=officers[key], unmet=unmet)
    reviews = list(open_reviews.select_related("filing__organisation").order_by("pk"))
    cases = [c for c in OrderCase.objects.filter(review__isnull=False).order_by("pk")]
    cases += [_to_procedure(review, reviewer, lead) for review in reviews[: 5 - len(cases)]]
    officer_of = {officer.organisation_id: officer for officer in officers.values()}
    for stage, case in enumerate(cases[:5]):
        notice = _notice(case, reviewer, lead)  # stage 0: notice issued
        if stage == 0:
            continue
        _deliver(notice, reviewer)
        officer = officer_of[case.organisation_id]
        if stage == 1:  # 弁明書 received
            services.submit_explanation(case=case, actor=officer, text="対策は実施済みである。")
            continue
        _explain_and_opinion(case, reviewer, officer)
        if stage == 2:  # opinion recorded, order drafted for the lead
            _order(case, reviewer, lead, issue=False)
            continue
        if stage == 4:  # closed without an order
            closing = services.draft_notice(
                case=case, actor=reviewer, kind="closing_notice",
                fields={"disposition": "本件について、処分は行わないこととしました。",
                        "reasons": "弁明書により、対策が実施済みであることを確認した。"},
            )  # fmt: skip
            services.issue_notice(notice=closing, actor=lead)
            continue
        _order(case, reviewer, lead, issue=True)  # stage 3: order issued, arrival pending
    incident = IncidentReport.objects.filter(determination="").first()
    if incident is not None:  # an improvement order whose plan is due
        case = _to_procedure(incident, reviewer, lead)
        _deliver(_notice(case, reviewer, lead), reviewer)
        _explain_and_opinion(case, reviewer, officer_of[case.organisation_id])
        _deliver(_order(case, reviewer, lead, issue=True), reviewer)
