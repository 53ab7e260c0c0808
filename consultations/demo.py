"""Demo data: a draft 2027.1 of the catalogue under public comment, with one opinion, so that a
newcomer sees the comment period, its per-item diff and the responses page at once."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from checklists.models import Catalogue, ItemRelation
from checklists.services import create_draft_catalogue
from consultations.services import open_comment_period, submit_opinion

DEMO_VERSION = "2027.1"


def seed_consultation(*, admin: User, commenter: User) -> None:
    current = Catalogue.objects.current()
    if current is None or Catalogue.objects.filter(version=DEMO_VERSION).exists():
        return
    draft = create_draft_catalogue(based_on=current, version=DEMO_VERSION, actor=admin)
    item = draft.items.get(code="SYS-3")
    item.requirement_ja += "（TLS 1.2 以上に限る。）"
    item.save()
    ItemRelation.objects.filter(catalogue=draft, new_item=item).update(relation="reworded")
    removed = draft.items.get(code="EXT-12")
    removed.delete()
    ItemRelation.objects.create(
        catalogue=draft, old_item=current.items.get(code="EXT-12"), relation="removed"
    )
    today = timezone.localdate()
    period = open_comment_period(
        catalogue=draft,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=27),
        note="通信のセキュリティ（SYS-3）の要約を改め、参考項目 EXT-12 を削除する案について、"
        "御意見を募集します（デモ）。",
        actor=admin,
    )
    submit_opinion(
        period=period,
        actor=commenter,
        body="TLS 1.2 以上に限る時期について、経過措置を設けてほしい。",
        items=[item],
        consents_to_name=False,
    )
