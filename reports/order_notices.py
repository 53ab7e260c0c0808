"""Signed PDFs of the formal notices of an order procedure (弁明の機会の付与通知書 / 聴聞通知書,
命令書 with 教示, and the notice of closing without an order).

The PDF prints ``Notice.content`` (frozen when the notice was issued) and nothing else. It is
rendered and signed once, on first request, and stored."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from orders.models import Notice
from reports import rendering, signing
from reports.models import NoticeDocument

TEMPLATES: dict[str, str] = {
    Notice.Kind.PROCEDURE_NOTICE: "reports/print/procedure_notice.html",
    Notice.Kind.ORDER: "reports/print/order.html",
    Notice.Kind.CLOSING_NOTICE: "reports/print/closing_notice.html",
}


def render_notice(notice: Notice) -> bytes:
    content = notice.content
    context = {
        "document": content,
        "receipt_number": content["document_number"],  # the print base template's header
        "snapshot_sha256": rendering.digest(content),
    }
    return rendering.render_pdf(TEMPLATES[notice.kind], context)


@transaction.atomic
def notice_document(notice: Notice) -> NoticeDocument:
    """The stored signed PDF of an issued notice, made on first request."""
    assert notice.is_issued  # drafts have no document (access refuses them before)
    Notice.objects.select_for_update().filter(pk=notice.pk).exists()  # one rendering at a time
    existing = NoticeDocument.objects.filter(notice=notice).first()
    if existing is not None:
        return existing
    content = signing.sign_pdf(render_notice(notice))
    document = NoticeDocument(
        notice=notice, sha256=hashlib.sha256(content).hexdigest(), size=len(content)
    )
    document.file.save("notice", ContentFile(content), save=False)
    document.save()
    return document
