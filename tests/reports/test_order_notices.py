"""The signed PDFs of an order procedure's notices: what pdftotext shows, and who gets them."""

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from accounts.models import Role
from orders import services
from reports.models import NoticeDocument
from reports.signing import verify_pdf
from tests.factories import issuing_authority, make_order_case, user_with_role
from tests.orders import steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(users):
    return users[Role.REVIEWER]


@pytest.fixture
def lead(users):
    return users[Role.REVIEW_LEAD]


@pytest.fixture
def case(catalogue, officer, reviewer, lead):
    issuing_authority()
    return make_order_case(officer, reviewer, lead)


def pdftotext(data: bytes, tmp_path: Path) -> str:
    """The text as a reader's copy-and-paste gets it (spaces and line breaks removed)."""
    keep = os.environ.get("NOTICE_PDF_DIR")  # to look at the pages: pdftoppm -png
    if keep:
        (Path(keep) / f"{tmp_path.name}.pdf").write_bytes(data)
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join(page.extract_text() for page in pages).replace(" ", "").replace("\n", "")


def download(client, user, notice) -> bytes:
    client.force_login(user)
    response = client.get(f"/orders/notices/{notice.pk}/pdf/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_explanation_notice_prints_its_number_wareki_date_provisions_and_facts(
    case, reviewer, lead, officer, client, tmp_path
):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    data = download(client, officer, notice)
    assert verify_pdf(data).ok
    text = pdftotext(data, tmp_path)
    assert "弁明の機会の付与通知書" in text
    assert notice.document_number in text
    assert notice.content["issued_on"]["wareki"] in text
    assert "ORG-1" in text  # the fact: the upheld candidate, with the answer as filed
    assert "未実施" in text
    for provision in notice.content["provisions"]:
        assert provision["citation"] in text
    assert notice.content["due_on"]["wareki"] in text  # where and by when
    assert "代表取締役山田太郎殿" in text


def test_the_order_prints_reasons_and_the_instruction_on_appeal_and_suit(
    case, reviewer, lead, officer, client, tmp_path
):
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.explained(case, officer)
    steps.record_opinion(case, reviewer)
    order = services.issue_notice(notice=steps.draft_order(case, reviewer), actor=lead)
    text = pdftotext(download(client, officer, order), tmp_path)
    assert "命令書" in text and order.document_number in text
    assert order.content["issued_on"]["wareki"] in text
    assert "ORG-1の対策を実施し、変更届出を行うこと。" in text
    assert "理由" in text and "ORG-1" in text
    assert "教示" in text and "審査請求" in text and "国を被告として" in text
    assert "6か月以内" in text and "3か月以内" in text and "要確認" in text


def test_the_closing_notice_prints_its_reasons(case, reviewer, lead, officer, client, tmp_path):
    steps.issue_procedure_notice(case, reviewer, lead)
    closing = services.draft_notice(
        case=case,
        actor=reviewer,
        kind="closing_notice",
        fields={"disposition": "命令を行わない。", "reasons": "弁明により是正が確認された。"},
    )
    closing = services.issue_notice(notice=closing, actor=lead)
    text = pdftotext(download(client, officer, closing), tmp_path)
    assert "処分を行わない旨の通知書" in text
    assert "弁明により是正が確認された。" in text
    assert closing.content["issued_on"]["wareki"] in text


def test_a_notice_is_rendered_once_and_served_again(case, reviewer, lead, officer, client):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    first = download(client, officer, notice)
    assert download(client, reviewer, notice) == first
    assert NoticeDocument.objects.count() == 1


def test_drafts_and_other_companies_notices_are_not_served(case, reviewer, lead, officer, client):
    steps.choose(case, reviewer)
    draft = services.draft_notice(
        case=case,
        actor=reviewer,
        kind="procedure_notice",
        fields={"disposition": "変更を命ずる。", "due_on": steps.today(), "place": "庁舎"},
    )
    client.force_login(officer)
    assert client.get(f"/orders/notices/{draft.pk}/pdf/").status_code == 404
    client.force_login(reviewer)
    assert client.get(f"/orders/notices/{draft.pk}/pdf/").status_code == 404  # a draft is no PDF
    issued = services.issue_notice(notice=draft, actor=lead)
    stranger = user_with_role(Role.AGGREGATOR_OFFICER)
    client.force_login(stranger)
    assert client.get(f"/orders/notices/{issued.pk}/pdf/").status_code == 404
