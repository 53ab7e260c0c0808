"""Demo reviews in every state, an open inquiry, a decided filing and an incident (seed_demo)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from checklists.models import Catalogue
from reviews import services
from reviews.models import Flag, IncidentReport, Review


def _decide_all(review: Review, actor: User) -> None:
    for flag in review.flags.awaiting_decision():
        if flag.kind == Flag.Kind.INQUIRY_CANDIDATE:
            services.decide_flag(
                flag=flag, actor=actor, decision="withdraw", reason="証跡は次回定期報告で確認する。"
            )
        else:
            services.decide_flag(
                flag=flag,
                actor=actor,
                decision="uphold",
                reason="勧告事項が未実施であることを確認。",
            )


def seed_reviews(*, reviewer: User, lead: User, filer: User) -> None:
    if Review.objects.exclude(status=Review.Status.RECEIVED).exists():
        return
    reviews = list(Review.objects.select_related("filing").order_by("filing__organisation", "id"))
    if len(reviews) < 4:
        return
    inquiry_review, decided_review, under_review = reviews[0], reviews[1], reviews[2]
    services.assign_review(review=inquiry_review, assignee=reviewer, actor=lead)
    flag = inquiry_review.flags.filter(kind=Flag.Kind.CHANGE_ORDER).first()
    if flag is not None:
        services.decide_flag(
            flag=flag,
            actor=reviewer,
            decision="inquire",
            reason="",
            question="一部実施の対策について、完了予定と暫定措置を説明してください。",
            due_date=timezone.localdate() + timedelta(days=10),
        )
    services.assign_review(review=decided_review, assignee=reviewer, actor=lead)
    _decide_all(decided_review, reviewer)
    upheld = decided_review.flags.filter(decision="uphold", kind=Flag.Kind.CHANGE_ORDER)
    codes = "、".join(upheld.values_list("item_code", flat=True))
    services.determine_review(
        review=decided_review,
        actor=lead,
        determination="order_procedure" if codes else "no_order",
        reason=f"勧告事項（{codes}）が届出時に満たされておらず、変更命令等の手続へ移行する。"
        if codes
        else "指摘はいずれも解消しており、変更命令等を要しない。",
    )
    services.assign_review(review=under_review, assignee=lead, actor=lead)
    # The statute's clock: one period extended (第6項), one waiting period shortened (第4項).
    services.extend_order_window(
        review=under_review,
        by=lead,
        new_end=under_review.deadline + timedelta(days=20),
        reason="下位アグリゲーターとの契約条項の確認に相当の期間を要するため。",
    )
    services.shorten_waiting_period(
        review=reviews[3],
        by=lead,
        new_end=timezone.localdate() + timedelta(days=10),
        reason="提出内容から、事業開始が電気の使用者の利益の保護等に支障を及ぼすおそれがないと認めた。",
    )
    if not IncidentReport.objects.exists():
        catalogue = Catalogue.objects.current()
        services.file_incident_report(
            actor=filer,
            fields={
                "occurred_at": timezone.now() - timedelta(days=2, hours=3),
                "detected_at": timezone.now() - timedelta(days=2, hours=2),
                "contained_at": timezone.now() - timedelta(days=2),
                "location": "own",
                "summary": "保守用PCからのマルウェア感染で、リソース制御サーバの一部が停止した。",
                "affected_systems": "リソース制御サーバ（2台）、保守用端末",
                "supply_impact": "at_risk",
                "capacity_affected_kw": 3000,
                "notified_parties": "一般送配電事業者（給電指令所）、委託先の保守事業者",
            },
            related_items=list(catalogue.items.filter(code__in=["OPS-1", "SYS-4"])),
        )
