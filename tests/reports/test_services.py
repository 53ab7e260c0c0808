import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from accounts.models import AuditEvent, Role
from reports import services as report_services
from reports.models import Report
from reports.signing import verify_pdf
from reviews import services
from tests.factories import add_pdf, answer_all, make_filing, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(catalogue, officer):
    return make_review(officer, **{"SYS-1": "partial"})


def build(filing, kind, actor, capture):
    with capture(execute=True):
        report = report_services.request_report(filing=filing, kind=kind, actor=actor)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    return report


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"]
        assert isinstance(resources, DictionaryObject)
        font_resources = resources["/Font"]
        assert isinstance(font_resources, DictionaryObject)
        for font in font_resources.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_filing_report_has_japanese_titles_receipt_hash_and_an_embedded_japanese_font(
    review, officer, django_capture_on_commit_callbacks
):
    filing = review.filing
    report = build(filing, "filing_report", officer, django_capture_on_commit_callbacks)
    data = report.file.read()
    text = pdf_text(data)
    assert "届出内容報告書" in text
    assert "体制（経営層の責任等）" in text and "外部ネットワークとの分離" in text
    assert filing.receipt_number in text
    assert filing.submission.sha256 in text.replace("\n", "")
    assert any("IPAexGothic" in name for name in fonts(data))
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 1 and all(filing.receipt_number in p.extract_text() for p in pages)


def test_reports_are_signed_and_a_one_byte_change_is_detected(
    review, officer, django_capture_on_commit_callbacks
):
    data = build(
        review.filing, "filing_report", officer, django_capture_on_commit_callbacks
    ).file.read()
    result = verify_pdf(data)
    assert result.ok
    assert result.snapshot_sha256 == review.filing.submission.sha256
    tampered = bytearray(data)
    position = data.index(b"/Contents") // 2  # inside the signed byte range, before the signature
    tampered[position] ^= 0x01
    assert not verify_pdf(bytes(tampered)).intact


def test_report_one_is_rendered_once_and_served_again(
    review, officer, django_capture_on_commit_callbacks
):
    first = build(review.filing, "filing_report", officer, django_capture_on_commit_callbacks)
    again = report_services.request_report(
        filing=review.filing, kind="filing_report", actor=officer
    )
    assert again.pk == first.pk and again.sha256 == first.sha256
    assert Report.objects.count() == 1


def test_editing_the_catalogue_after_submission_does_not_change_report_one(
    review, officer, catalogue, django_capture_on_commit_callbacks
):
    # Even a change written straight into the database (bypassing versioning) does not reach it.
    catalogue.items.filter(code="ORG-1").update(title_ja="書き換えられた題名")
    text = pdf_text(
        build(
            review.filing, "filing_report", officer, django_capture_on_commit_callbacks
        ).file.read()
    )
    assert "体制（経営層の責任等）" in text and "書き換えられた題名" not in text


def test_review_record_shows_flags_decisions_and_determination(
    review, users, django_capture_on_commit_callbacks
):
    for flag in review.flags.exclude(kind="reference"):
        services.decide_flag(
            flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="確認済み"
        )
    services.determine_review(
        review=review,
        actor=users[Role.REVIEW_LEAD],
        determination="order_procedure",
        reason="SYS-1 が一部実施",
    )
    data = build(
        review.filing, "review_record", users[Role.REVIEW_LEAD], django_capture_on_commit_callbacks
    ).file.read()
    text = flat_text(data)
    assert "審査記録" in text and "変更命令等の手続へ移行" in text
    assert "SYS-1 が一部実施" in text and "電気事業法第27条の30" in text
    assert verify_pdf(data).ok


def test_review_record_is_rendered_again_when_decisions_change(
    review, users, django_capture_on_commit_callbacks
):
    lead = users[Role.REVIEW_LEAD]
    first = build(review.filing, "review_record", lead, django_capture_on_commit_callbacks)
    flag = review.flags.get(kind="change_order")
    services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    second = build(review.filing, "review_record", lead, django_capture_on_commit_callbacks)
    assert second.pk != first.pk


def test_evidence_package_holds_files_a_manifest_with_hashes_and_report_one(
    catalogue, users, django_capture_on_commit_callbacks
):
    from filings.services import submit_filing

    officer = users[Role.AGGREGATOR_OFFICER]
    filing = make_filing(officer)
    evidence = add_pdf(filing, officer, name="基本方針.pdf")
    submit_filing(filing=answer_all(filing), actor=officer)
    filing.refresh_from_db()
    report = build(
        filing, "evidence_package", users[Role.ADMIN], django_capture_on_commit_callbacks
    )
    with zipfile.ZipFile(report.file) as archive:
        names = archive.namelist()
        manifest = archive.read("manifest.csv").decode("utf-8-sig")
        assert archive.read("evidence/001_基本方針.pdf") == evidence.file.open("rb").read()
        assert verify_pdf(archive.read(f"filing_report-{filing.receipt_number}.pdf")).ok
    assert "manifest.csv" in names
    assert evidence.sha256 in manifest and ",True" in manifest


def test_the_evidence_manifest_neutralises_file_names_that_spreadsheets_would_evaluate(
    catalogue, users, django_capture_on_commit_callbacks
):
    from filings.services import submit_filing

    officer = users[Role.AGGREGATOR_OFFICER]
    filing = make_filing(officer)
    hostile = ["=cmd|'calc'!A0.pdf", '+HYPERLINK("evil","証跡").pdf', "-1+1.pdf", "@SUM(1).pdf"]
    for name in hostile:
        add_pdf(filing, officer, name=name)
    submit_filing(filing=answer_all(filing), actor=officer)
    filing.refresh_from_db()
    report = build(
        filing, "evidence_package", users[Role.ADMIN], django_capture_on_commit_callbacks
    )
    with zipfile.ZipFile(report.file) as archive:
        manifest = archive.read("manifest.csv").decode("utf-8-sig")
        names = archive.namelist()
    rows = list(csv.reader(io.StringIO(manifest)))[1:]
    assert [row[1] for row in rows] == ["'" + name for name in hostile]
    # Only the manifest's cells change: the files keep their names, sizes stay numbers.
    assert [row[0] for row in rows] == [
        f"evidence/{n:03d}_{name}" for n, name in enumerate(hostile, 1)
    ]
    assert set(row[0] for row in rows) <= set(names)
    assert all(row[2].isdigit() and row[4] == "True" for row in rows)


def test_a_rendering_failure_is_recorded_with_its_reason(
    review, officer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORT_SIGNING_KEY = tmp_path / "missing.pem"
    with django_capture_on_commit_callbacks(execute=True):
        report = report_services.request_report(
            filing=review.filing, kind="filing_report", actor=officer
        )
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error


def test_report_pages_request_download_and_audit(
    review, officer, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_request", args=[review.filing.pk, "filing_report"]))
    report = Report.objects.get()
    page = client.get(reverse("reports:report_list", args=[review.filing.pk])).content.decode()
    assert reverse("reports:report_download", args=[report.pk]) in page
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    assert isinstance(download, FileResponse)
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert {"report.request", "report.download"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_verification_page_and_command(
    review, officer, django_capture_on_commit_callbacks, tmp_path
):
    data = build(
        review.filing, "filing_report", officer, django_capture_on_commit_callbacks
    ).file.read()
    client = Client()
    client.force_login(officer)
    upload = io.BytesIO(data)
    upload.name = "report.pdf"
    content = client.post(reverse("reports:report_verify"), {"file": upload}).content.decode()
    assert "この報告書は真正です。" in content and review.filing.receipt_number in content
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = StringIO()
    call_command("verify_report", str(path), stdout=out)
    assert review.filing.receipt_number in out.getvalue()
    tampered = bytearray(data)
    tampered[data.index(b"/Contents") // 2] ^= 0x01
    path.write_bytes(bytes(tampered))
    with pytest.raises(CommandError):
        call_command("verify_report", str(path), stdout=StringIO())
    # The page: a tampered report is not verified, and its stated hash is not said to match.
    upload = io.BytesIO(bytes(tampered))
    upload.name = "report.pdf"
    content = client.post(reverse("reports:report_verify"), {"file": upload}).content.decode()
    assert "検証できませんでした" in content
    assert "照合していません" in content and review.filing.receipt_number not in content


@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        (Role.AGGREGATOR_STAFF, True, {"filing_report"}),
        (Role.AGGREGATOR_OFFICER, True, {"filing_report"}),
        (Role.AGGREGATOR_STAFF, False, None),
        (Role.REVIEWER, None, {"filing_report", "review_record"}),
        (Role.REVIEW_LEAD, None, {"filing_report", "review_record"}),
        (Role.ADMIN, None, {"filing_report", "review_record", "evidence_package"}),
    ],
)
def test_report_access_by_role(review, users, other_company, role, own, expected):
    from tests.factories import user_with_role

    user = users[role] if own is not False else user_with_role(role, other_company)
    client = Client()
    client.force_login(user)
    url = reverse("reports:report_list", args=[review.filing.pk])
    response = client.get(url)
    if expected is None:
        assert response.status_code == 404
        assert (
            client.post(
                reverse("reports:report_request", args=[review.filing.pk, "filing_report"])
            ).status_code
            == 404
        )
        return
    assert {kind for kind, _, _ in response.context["rows"]} == expected
    for kind in set(Report.Kind.values) - expected:
        post = client.post(reverse("reports:report_request", args=[review.filing.pk, kind]))
        assert post.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_report_waits_for_db_worker(settings, users):
    from tests.factories import load_catalogue

    load_catalogue()
    officer = users[Role.AGGREGATOR_OFFICER]
    review = make_review(officer)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = report_services.request_report(
        filing=review.filing, kind="filing_report", actor=officer
    )
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO())
    report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_filers_get_only_the_determination_notice_made_after_the_determination(
    review, users, django_capture_on_commit_callbacks
):
    lead, filer = users[Role.REVIEW_LEAD], users[Role.AGGREGATOR_OFFICER]
    early = build(review.filing, "determination_notice", lead, django_capture_on_commit_callbacks)
    for flag in review.flags.exclude(kind="reference"):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    services.determine_review(
        review=review, actor=lead, determination="order_procedure", reason="可"
    )
    final = build(review.filing, "determination_notice", filer, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(filer)
    assert client.get(reverse("reports:report_download", args=[early.pk])).status_code == 404
    assert client.get(reverse("reports:report_download", args=[final.pk])).status_code == 200


def test_regulators_are_not_offered_a_review_report_for_a_filing_without_review(review, users):
    review.delete()
    client = Client()
    client.force_login(users[Role.REVIEWER])
    response = client.get(reverse("reports:report_list", args=[review.filing.pk]))
    assert {kind for kind, _, _ in response.context["rows"]} == {"filing_report"}


# --- dates and sources as people read them ---------------------------------------------------
ISO_TIMESTAMP = r"\d{4}-\d{2}-\d{2}T"
GUIDELINE_CODES = ("TOKUOROSHI-", "ERAB-CSGL", "JESC-Z0004", "RETAIL-CSGL", "CSM-GL")


def flat_text(data: bytes) -> str:
    """The PDF text without line breaks, so wrapped titles and dates are found whole."""
    return pdf_text(data).replace("\n", "")


def test_filing_report_prints_jst_japanese_dates_guideline_titles_and_unverified_sources(
    review, officer, django_capture_on_commit_callbacks
):
    from checklists.models import Guideline

    data = build(
        review.filing, "filing_report", officer, django_capture_on_commit_callbacks
    ).file.read()
    text = flat_text(data)
    assert not re.search(ISO_TIMESTAMP, text) and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not [code for code in GUIDELINE_CODES if code in text]
    assert Guideline.objects.get(code="ERAB-CSGL").title_ja in text
    assert "出典未確認" in text
    assert "勧告" in text  # a source level, as a label
    assert re.search(r"受付日時\s*\d{4}年\d{1,2}月\d{1,2}日 \d{2}時\d{2}分", text)
    target = timezone.localdate() + timedelta(days=30)  # as tests.factories.answer_all sets it
    assert f"対応予定日 {target.year}年{target.month}月{target.day}日" in text


def test_filing_report_converts_the_snapshot_times_to_jst(review):
    from reports.rendering import filing_report_context, render_pdf

    snapshot = {
        **review.filing.submission.snapshot,
        "submitted_at": "2026-11-29T14:41:00+00:00",
    }
    snapshot["filing"] = {**snapshot["filing"], "planned_start_date": "2027-01-05"}
    snapshot["lower_aggregators"] = {
        "uses": True,
        "aggregators": [
            {
                "name": "下位株式会社",
                "corporate_number": "7000012050002",
                "contract_date": "2026-04-01",
            }
        ],
        "coverage": [],
    }
    context = filing_report_context(snapshot=snapshot, sha256="f" * 64)
    text = flat_text(render_pdf("reports/print/filing_report.html", context))
    assert "2026年11月29日 23時41分" in text
    assert "2027年1月5日" in text and "契約日 2026年4月1日" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_review_record_prints_receipt_before_determination_in_jst(review, users):
    from reports.rendering import render_review_document
    from reviews.models import Inquiry, Review

    received = datetime(2026, 11, 29, 14, 41, tzinfo=UTC)  # 23:41 in Tokyo
    Review.objects.filter(pk=review.pk).update(
        received_at=received,
        deadline=date(2026, 12, 29),
        status=Review.Status.DECIDED,
        determination=Review.Determination.choices[0][0],
        determination_reason="可",
        determined_by=users[Role.REVIEW_LEAD],
        determined_at=received + timedelta(minutes=49),  # 00:30 the next day in Tokyo
    )
    Inquiry.objects.create(
        flag=review.flags.get(kind="change_order"),
        question="計画の提出を求めます。",
        due_date=date(2027, 1, 5),
        sent_by=users[Role.REVIEWER],
    )
    review.refresh_from_db()
    text = flat_text(render_review_document(review, "review_record"))
    assert not re.search(ISO_TIMESTAMP, text)
    receipt = re.search(r"受付日時\s*2026年11月29日 23時41分", text)
    assert receipt is not None
    received_at = receipt.start()
    assert "2026年12月29日" in text  # the last day of the 30-day period
    assert text.index("2026年11月30日 00時30分") > received_at  # the determination, after receipt
    assert "回答期限 2027年1月5日" in text


# --- what each document may and must say -----------------------------------------------------
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def assert_readable(text: str) -> None:
    """JST Japanese dates only, guideline titles (no codes), unverified sources marked."""
    assert not re.search(ISO_TIMESTAMP, text) and not re.search(ISO_DATE, text)
    assert not [code for code in GUIDELINE_CODES if code in text]
    assert "出典未確認" in text


def test_filing_report_prints_every_header_fact_and_criterion_items_apart_from_reference_items(
    review, officer, django_capture_on_commit_callbacks
):
    filing = review.filing
    text = flat_text(
        build(filing, "filing_report", officer, django_capture_on_commit_callbacks).file.read()
    )
    assert_readable(text)
    for fact in (
        filing.organisation.name,
        filing.organisation.corporate_number,
        "新規届出",
        "アグリゲーションコーディネーター",  # chain role
        "見込み供給力 5,000 kW",
        "連絡 太郎",
        "contact@example.jp",
        "03-0000-0000",
        "下位アグリゲーターの利用 なし",
        officer.full_name,
        "2026.1",
    ):
        assert fact in text, fact
    reference = text.index("基準外の参考項目（基準資料に記載なし・変更命令等の根拠とならない）")
    criterion = text.index("チェックリスト回答：届出基準（勧告事項）")
    assert criterion < reference
    assert (
        "参考（基準外）" not in text[criterion:reference] and "参考（基準外）" in text[reference:]
    )
    assert "届出基準（勧告事項）" in text[criterion + 20 : reference]  # each item's label
    assert "必須" not in text and "推奨（任意）" not in text


def decided_review(review, users, officer):
    """Flags decided every way (uphold, inquire then withdraw, withdraw); no order despite the
    upheld candidate. Returns the withdrawal reason, which only the record may show."""
    reviewer, lead = users[Role.REVIEWER], users[Role.REVIEW_LEAD]
    candidate = review.flags.get(kind="change_order")
    services.decide_flag(flag=candidate, actor=reviewer, decision="uphold", reason="維持理由甲")
    asked, *others = review.flags.filter(kind="inquiry_candidate")
    services.decide_flag(
        flag=asked,
        actor=reviewer,
        decision="inquire",
        reason="",
        question="照会質問乙",
        due_date=date(2027, 1, 5),
    )
    services.answer_inquiry(inquiry=asked.inquiries.get(), actor=officer, answer="照会回答丙")
    for flag in [asked, *others]:
        services.decide_flag(flag=flag, actor=reviewer, decision="withdraw", reason="取下理由丁")
    services.determine_review(
        review=review,
        actor=lead,
        determination="no_order",
        reason="判定理由戊",
        no_order_reasons={candidate.pk: "命令不要理由己"},
    )
    return "取下理由丁"


def test_review_record_holds_every_decision_with_names_and_each_basis_once(
    review, users, officer, django_capture_on_commit_callbacks
):
    from legal.models import current_basis

    change_order = current_basis("criterion-change-order").text
    inquiry = current_basis("guidance-evidence-inquiry").text
    withdrawn = decided_review(review, users, officer)
    lead = users[Role.REVIEW_LEAD]
    data = build(review.filing, "review_record", lead, django_capture_on_commit_callbacks)
    text = flat_text(data.file.read())
    assert_readable(text)
    assert "審査記録" in text and "変更命令等を要しない（審査完了）" in text
    for fact in (
        "維持理由甲",
        withdrawn,
        "照会質問乙",
        "照会回答丙",
        "判定理由戊",
        "命令不要理由己",
    ):
        assert fact in text, fact
    assert users[Role.REVIEWER].full_name in text and lead.full_name in text
    assert "受理日" in text and "30日期間の満了日" in text and "要確認" in text
    for basis in (change_order, inquiry):  # many flags share the inquiry basis
        assert text.count(basis) == 1, basis[:20]
    assert "根拠 [1]" in text and "根拠 [2]" in text
    # each citation with its verification state, and the version it was cited in
    assert "基準資料（基準資料の本文）" in text and "二次資料（出典未確認）" in text
    assert "根拠の版 2026.1" in text


def test_determination_notice_names_no_one_and_keeps_internal_reasons_out(
    review, users, officer, django_capture_on_commit_callbacks
):
    from legal.models import current_basis

    change_order = current_basis("criterion-change-order").text
    inquiry = current_basis("guidance-evidence-inquiry").text
    withdrawn = decided_review(review, users, officer)
    data = build(review.filing, "determination_notice", officer, django_capture_on_commit_callbacks)
    text = flat_text(data.file.read())
    assert_readable(text)
    assert "判定通知" in text and review.filing.organisation.name in text
    assert "変更命令等を要しない（審査完了）" in text and "判定理由戊" in text
    assert "SYS-1" in text and "命令不要理由己" in text  # the upheld candidate and why no order
    assert text.count(change_order) == 1 and "根拠 [1]" in text
    assert "基準資料（基準資料の本文）" in text
    for internal in (
        withdrawn,
        "維持理由甲",
        "照会質問乙",
        inquiry,
        "照会候補",
        users[Role.REVIEWER].full_name,
        users[Role.REVIEW_LEAD].full_name,
    ):
        assert internal not in text, internal


def test_change_notification_filing_report_prints_the_change_list(
    catalogue, users, django_capture_on_commit_callbacks
):
    from filings.models import Filing
    from filings.services import start_change_notification, submit_filing

    officer = users[Role.AGGREGATOR_OFFICER]
    original = make_review(officer, **{"SYS-1": "partial"}).filing
    draft = start_change_notification(filing=original, actor=officer)
    Filing.objects.filter(pk=draft.pk).update(expected_capacity_kw=6000)
    draft.answers.filter(item__code="SYS-1").update(status="implemented")
    add_pdf(draft, officer, name="新しい証跡.pdf", answers=draft.answers.filter(item__code="SYS-1"))
    submit_filing(filing=draft, actor=officer)
    draft.refresh_from_db()
    data = build(draft, "filing_report", officer, django_capture_on_commit_callbacks).file.read()
    text = flat_text(data)
    assert_readable(text)
    changes = text[text.index("変更内容") : text.index("チェックリスト回答：届出基準")]
    assert original.receipt_number in changes
    assert "5,000 kW" in changes and "6,000 kW" in changes
    assert "一部実施" in changes and "実施済" in changes
    assert "新しい証跡.pdf" in changes and "追加" in changes


def test_filing_report_change_list_covers_lower_aggregators_and_coverage(review):
    from reports.rendering import filing_report_context, render_pdf

    old = review.filing.submission.snapshot
    lower = {
        "uses": True,
        "aggregators": [
            {"name": "下位甲株式会社", "corporate_number": "7000012050002", "contract_date": None}
        ],
        "coverage": [
            {"item": "SYS-1", "title_ja": "分離", "covered": True, "clause_reference": "第5条"}
        ],
    }
    new = {
        **old,
        "filing": {**old["filing"], "kind": "change", "amends_receipt_number": "CS-OLD"},
        "lower_aggregators": lower,
    }
    text = flat_text(
        render_pdf(
            "reports/print/filing_report.html",
            filing_report_context(snapshot=new, sha256="f" * 64, previous=old),
        )
    )
    assert_readable(text)
    assert "下位甲株式会社（法人番号 7000012050002）" in text
    assert "第5条" in text and re.search(r"対象項目の根拠：\s*出典未確認", text)
