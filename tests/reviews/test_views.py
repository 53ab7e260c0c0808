import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Organisation, Role
from filings.models import Filing, Submission
from reviews.exports import csv_safe_row
from reviews.models import Review
from reviews.services import decide_flag
from tests.factories import (
    AggregatorFactory,
    make_corporate_number,
    make_review,
    make_submitted,
    plain_pdf,
    user_with_role,
)

pytestmark = pytest.mark.django_db
QUEUE = reverse("reviews:review_queue")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def review(catalogue, users):
    return make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})


def bulk_reviews(catalogue, author, count):
    """Submitted filings with reviews, written in bulk: the queue only reads these columns."""
    company = AggregatorFactory.create()
    now = timezone.now()
    filings = Filing.objects.bulk_create(
        Filing(organisation=company, catalogue=catalogue, status="submitted", created_by=author)
        for _ in range(count)
    )
    Submission.objects.bulk_create(
        Submission(
            filing=filing,
            receipt_number=f"BULK-{filing.pk:06d}",
            submitted_at=now,
            submitted_by=author,
            canonical_json="{}",
            sha256="0" * 64,
        )
        for filing in filings
    )
    Review.objects.bulk_create(
        Review(
            filing=filing,
            received_at=now - timedelta(days=index % 40),
            accepted_on=(now - timedelta(days=index % 40)).date(),
            deadline=(now + timedelta(days=30 - index % 40)).date(),
            open_candidates=index % 3,
        )
        for index, filing in enumerate(filings)
    )


def bulk_companies(count):
    """Aggregators written in bulk; names as long as the factory's, so that pages compare."""
    return Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.AGGREGATOR,
            name=f"バルク・アグリゲーター{index}株式会社",
            corporate_number=make_corporate_number(),
        )
        for index in range(count)
    )


def test_queue_lists_every_aggregators_submitted_filings(review, users, other_company):
    other = make_review(user_with_role(Role.AGGREGATOR_OFFICER, other_company))
    content = client_for(users[Role.REVIEWER]).get(QUEUE).content.decode()
    assert review.filing.receipt_number in content and other.filing.receipt_number in content


def test_queue_filters_by_status_assignee_candidates_overdue_and_company(
    review, users, other_company
):
    other = make_review(user_with_role(Role.AGGREGATOR_OFFICER, other_company))
    client = client_for(users[Role.REVIEWER])
    Review.objects.filter(pk=other.pk).update(
        assignee=users[Role.REVIEWER], deadline=timezone.localdate() - timedelta(days=1)
    )

    def shown(**params):
        return {r.pk for r in client.get(QUEUE, params).context["reviews"]}

    assert shown(mine="on") == {other.pk}
    assert shown(overdue="on") == {other.pk}
    assert shown(has_candidates="on") == {review.pk}
    assert shown(company=other_company.name) == {other.pk}
    assert shown(status="submitted") == {review.pk, other.pk}
    assert shown(sort="-candidates")


def test_queue_finds_a_company_by_part_of_its_name_or_its_corporate_number(
    review, users, other_company
):
    Organisation.objects.filter(pk=other_company.pk).update(name="北陸デマンドレスポンス株式会社")
    other = make_review(user_with_role(Role.AGGREGATOR_OFFICER, other_company))
    client = client_for(users[Role.REVIEWER])
    number = other_company.corporate_number
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    def shown(text):
        response = client.get(QUEUE, {"company": text})
        assert response.status_code == 200
        return {r.pk for r in response.context["reviews"]}

    assert shown("デマンド") == {other.pk}
    assert shown("  北陸デマ\x00ンド ") == {other.pk}  # NUL (PostgreSQL rejects it) is stripped
    assert shown(number) == {other.pk}
    assert shown(number[:10]) == {other.pk}  # the first digits
    assert shown(full_width) == {other.pk}  # typed with a Japanese input method
    assert shown(f"{number[:4]}-{number[4:8]}-{number[8:]}") == {other.pk}
    assert shown(number[1:]) == set()  # the middle of a number is not a match
    assert shown("存在しない会社") == set()
    assert shown("") == {review.pk, other.pk}
    export = streamed(client.get(QUEUE, {"company": "デマンド", "format": "csv"})).decode("utf-8")
    assert other.filing.receipt_number in export
    assert review.filing.receipt_number not in export
    # Too long: refused with a message, the other filters still apply.
    response = client.get(QUEUE, {"company": "あ" * 201, "has_candidates": "on"})
    assert response.status_code == 200
    assert response.context["filter"].errors["company"]
    assert {r.pk for r in response.context["reviews"]} == {review.pk}


def test_queue_page_does_not_grow_with_the_number_of_companies(catalogue, users):
    """The company filter is a search field: no option per company, no query per company."""
    client = client_for(users[Role.REVIEWER])
    bulk_reviews(catalogue, users[Role.AGGREGATOR_OFFICER], 200)
    aggregators = Organisation.objects.filter(kind=Organisation.Kind.AGGREGATOR).order_by("pk")
    sizes, counts = {}, {}
    for total in (2, 200):
        if total == 200:
            # The same 200 filings, now each with its own company.
            companies = [*aggregators.all(), *bulk_companies(total - aggregators.count())]
            filings = list(Filing.objects.order_by("pk"))
            for filing, company in zip(filings, companies, strict=True):
                filing.organisation = company
            Filing.objects.bulk_update(filings, ["organisation"])
        assert aggregators.all().count() == total
        client.get(QUEUE)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, {"status": "submitted"})
        assert response.status_code == 200
        sizes[total], counts[total] = len(response.content), len(queries)
    print("queue page bytes and queries at 2 and 200 companies:", sizes, counts)
    assert counts[2] == counts[200], counts
    assert abs(sizes[200] - sizes[2]) < 300, sizes


def test_an_invalid_filter_value_shows_an_error_not_a_crash(review, users):
    response = client_for(users[Role.REVIEWER]).get(QUEUE, {"status": "bogus"})
    assert response.status_code == 200
    assert "bogus" in response.content.decode()


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_queue_csv_streams_every_row_with_the_same_queries_at_any_size(
    catalogue, officer, users
):
    client = client_for(users[Role.REVIEWER])
    client.get(QUEUE)  # the session and the second-factor check, read once
    counts, lines = {}, {}
    for total in (2, 7):
        while Review.objects.count() < total:
            make_submitted(officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, {"format": "csv"})
            body = streamed(response).decode("utf-8")  # the rows are read while it streams
        assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        assert {row[0] for row in rows[1:]} == {
            r.filing.receipt_number for r in Review.objects.all()
        }
        counts[total], lines[total] = len(queries), len(rows)
    assert lines == {2: 3, 7: 8}
    assert counts[2] == counts[7], counts


def test_csv_export_opens_in_japanese_excel_and_neutralises_formulas(review, users):
    review.filing.organisation.__class__.objects.filter(pk=review.filing.organisation_id).update(
        name='=HYPERLINK("http://evil")株式会社'
    )
    response = client_for(users[Role.REVIEWER]).get(QUEUE, {"format": "csv"})
    assert response.streaming
    body = streamed(response).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "受付番号"
    assert rows[1][0] == review.filing.receipt_number
    assert rows[1][1].startswith("'=")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+81-3-0000", "'+81-3-0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("証跡=1.pdf", "証跡=1.pdf"),
        (None, ""),
        (-3, -3),  # numbers are data: negative days left stay numbers
        (True, True),
    ],
)
def test_csv_safe_row_quotes_exactly_the_cells_a_spreadsheet_would_evaluate(value, cell):
    assert csv_safe_row(["CS-2026-000001", value]) == ["CS-2026-000001", cell]


def test_queue_query_count_does_not_grow_from_10_to_1000_filings(catalogue, users):
    client = client_for(users[Role.REVIEWER])
    counts = {}
    for total in (10, 1000):
        bulk_reviews(catalogue, users[Role.AGGREGATOR_OFFICER], total - Review.objects.count())
        client.get(QUEUE)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, {"sort": "-candidates", "has_candidates": "on"})
        assert response.status_code == 200
        counts[total] = len(queries)
    assert counts[10] == counts[1000], counts
    print("queue queries at 10 and 1000 filings:", counts)


def test_review_page_query_count_does_not_grow_with_flags(catalogue, users):
    officer = users[Role.AGGREGATOR_OFFICER]
    few = make_review(officer)
    many = make_review(
        officer, **{code: "partial" for code in ["SYS-1", "EXT-1", "EXT-2", "EXT-3", "EXT-4"]}
    )
    assert many.flags.count() > few.flags.count()
    client = client_for(users[Role.REVIEWER])
    counts = []
    for review in (few, many):
        client.get(review.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            client.get(review.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print("review page queries (few, many flags):", counts)


def test_dismissing_without_reason_keeps_the_form_and_says_why(review, users):
    flag = review.flags.get(kind="change_order")
    response = client_for(users[Role.REVIEWER]).post(
        reverse("reviews:flag_decide", args=[flag.pk]),
        {f"flag-{flag.pk}-decision": "withdraw", f"flag-{flag.pk}-question": "残す文"},
    )
    assert response.status_code == 400
    assert "残す文" in response.content.decode()
    flag.refresh_from_db()
    assert flag.decision == ""


def test_deciding_twice_by_post_shows_an_error(review, users):
    flag = review.flags.get(kind="change_order")
    decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    response = client_for(users[Role.REVIEWER]).post(
        reverse("reviews:flag_decide", args=[flag.pk]),
        {f"flag-{flag.pk}-decision": "withdraw", f"flag-{flag.pk}-reason": "やはり却下"},
    )
    assert response.status_code == 400
    flag.refresh_from_db()
    assert flag.decision == "uphold"


def test_determination_with_undecided_flags_is_refused(review, users):
    response = client_for(users[Role.REVIEW_LEAD]).post(
        reverse("reviews:review_determine", args=[review.pk]),
        {"determination": "no_order", "reason": "問題なし"},
    )
    assert response.status_code == 400
    assert "問題なし" in response.content.decode()
    review.refresh_from_db()
    assert review.status != "decided"


def test_filer_answers_an_inquiry_with_evidence_and_sees_the_determination(review, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.services import determine_review

    flag = review.flags.get(kind="change_order")
    decide_flag(
        flag=flag,
        actor=users[Role.REVIEWER],
        decision="inquire",
        reason="",
        question="暫定措置は？",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    inquiry = flag.inquiries.get()
    staff = client_for(users[Role.AGGREGATOR_STAFF])
    detail = staff.get(review.filing.get_absolute_url()).content.decode()
    assert "暫定措置は？" in detail
    pdf = SimpleUploadedFile("計画.pdf", plain_pdf())
    response = staff.post(inquiry.get_absolute_url(), {"answer": "FWで遮断済み", "file": pdf})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.answer, inquiry.attachment_name) == ("FWで遮断済み", "計画.pdf")
    for other in review.flags.exclude(decision__in=["uphold", "withdraw"]).exclude(
        kind="reference"
    ):
        decide_flag(
            flag=other, actor=users[Role.REVIEWER], decision="withdraw", reason="回答で解消"
        )
    determine_review(
        review=review, actor=users[Role.REVIEW_LEAD], determination="no_order", reason="是正済み"
    )
    assert "是正済み" in staff.get(review.filing.get_absolute_url()).content.decode()


def test_incident_report_form_validates_and_files(catalogue, users):
    client = client_for(users[Role.AGGREGATOR_STAFF])
    url = reverse("reviews:incident_create")
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {"occurred_at": future, "summary": "x", "affected_systems": "y", "supply_impact": "bad"},
    )
    assert response.status_code == 400
    item = catalogue.items.get(code="OPS-1")
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "occurred_at": past,
            "detected_at": past,
            "location": "own",
            "summary": "感染",
            "affected_systems": "端末",
            "supply_impact": "at_risk",
            "related_items": [item.pk],
        },
    )
    assert response.status_code == 302
    content = client.get(response.url).content.decode()
    assert "感染" in content  # the filer sees the report; its flags are the regulator's


def test_filers_see_their_incident_but_not_the_regulators_flags(catalogue, users):
    from reviews.services import file_incident_report

    incident = file_incident_report(
        actor=users[Role.AGGREGATOR_STAFF],
        fields={
            "occurred_at": timezone.now(),
            "detected_at": timezone.now(),
            "summary": "停止",
            "affected_systems": "制御",
            "supply_impact": "disrupted",
        },
        related_items=[],
    )
    filer_page = (
        client_for(users[Role.AGGREGATOR_STAFF]).get(incident.get_absolute_url()).content.decode()
    )
    regulator_page = (
        client_for(users[Role.REVIEWER]).get(incident.get_absolute_url()).content.decode()
    )
    assert "停止" in filer_page and "業務改善命令候補" not in filer_page
    assert "業務改善命令候補" in regulator_page


def test_a_decided_review_refuses_further_decisions(review, users):
    from django.core.exceptions import ValidationError

    from reviews.services import determine_review

    for flag in review.flags.exclude(kind="reference"):
        decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    determine_review(
        review=review, actor=users[Role.REVIEW_LEAD], determination="order_procedure", reason="可"
    )
    advisory = review.flags.create(kind="reference", rule="x", finding="x", legal_basis="x")
    with pytest.raises(ValidationError):
        decide_flag(flag=advisory, actor=users[Role.REVIEWER], decision="uphold", reason="")


def test_review_pages_show_times_in_jst_japanese_style(review, users):
    from datetime import UTC, datetime

    received = datetime(2026, 11, 29, 14, 41, tzinfo=UTC)  # 23:41 in Tokyo
    Review.objects.filter(pk=review.pk).update(
        received_at=received,
        status=Review.Status.DECIDED,
        determination=Review.Determination.choices[0][0],
        determination_reason="可",
        determined_by=users[Role.REVIEW_LEAD],
        determined_at=received + timedelta(minutes=49),  # 00:30 the next day in Tokyo
    )
    client = client_for(users[Role.REVIEWER])
    queue = client.get(QUEUE).content.decode()
    page = client.get(review.get_absolute_url()).content.decode()
    assert "2026年11月29日 23時41分" in queue
    assert "2026年11月29日 23時41分" in page and "2026年11月30日 00時30分" in page


def test_reviewer_records_the_acceptance_date_and_a_bad_one_is_refused_with_a_message(
    review, users
):
    client = client_for(users[Role.REVIEWER])
    url = reverse("reviews:review_accept", args=[review.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"accepted_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "受理日に未来の日付は指定できません。" in response.content.decode()
    today = timezone.localdate()
    assert client.post(url, {"accepted_on": today.isoformat()}).status_code == 302
    review.refresh_from_db()
    assert (review.accepted_on, review.deadline) == (today, today + timedelta(days=30))


def test_determination_form_asks_a_reason_per_upheld_candidate_and_keeps_the_input(review, users):
    for flag in review.flags.exclude(kind="reference"):
        decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    client = client_for(users[Role.REVIEW_LEAD])
    page = client.get(review.get_absolute_url()).content.decode()
    assert "指摘維持の命令候補が 1 件あります" in page
    url = reverse("reviews:review_determine", args=[review.pk])
    response = client.post(url, {"determination": "no_order", "reason": "軽微と判断"})
    assert response.status_code == 400
    assert "軽微と判断" in response.content.decode()
    flag = review.flags.get(kind="change_order")
    data = {
        "determination": "no_order",
        "reason": "軽微と判断",
        f"no_order_reason_{flag.pk}": "是正済みを確認",
    }
    confirm = client.post(url, data)  # first, what is about to be recorded
    assert confirm.status_code == 200
    assert "判定の確認" in confirm.content.decode() and "是正済みを確認" in confirm.content.decode()
    review.refresh_from_db()
    assert review.status != "decided"
    back = client.post(url, {**data, "edit": "1"})  # back to the form, the input kept
    assert back.status_code == 200 and "是正済みを確認" in back.content.decode()
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.no_order_reason == "是正済みを確認"
    assert "是正済みを確認" in client.get(review.get_absolute_url()).content.decode()


def test_lead_determines_an_incident_after_its_flags(catalogue, users):
    from reviews.services import file_incident_report
    from tests.factories import incident_fields

    incident = file_incident_report(
        actor=users[Role.AGGREGATOR_STAFF], fields=incident_fields(), related_items=[]
    )
    client = client_for(users[Role.REVIEW_LEAD])
    url = reverse("reviews:incident_determine", args=[incident.pk])
    data = {"determination": "order_procedure", "reason": "支障あり"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "判定の前に、すべての指摘について判断" in response.content.decode()
    for flag in incident.flags.all():
        decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason="軽微")
    data = {"determination": "no_order", "reason": "影響なし"}
    assert "判定の確認" in client.post(url, data).content.decode()
    incident.refresh_from_db()
    assert incident.determination == ""
    client.post(url, {**data, "confirmed": "1"})
    incident.refresh_from_db()
    assert (incident.determination, incident.determination_reason) == ("no_order", "影響なし")


def test_incident_form_offers_no_empty_supply_impact_choice(catalogue, users):
    page = client_for(users[Role.AGGREGATOR_STAFF]).get(reverse("reviews:incident_create"))
    content = page.content.decode()
    assert 'name="supply_impact" value=""' not in content
    assert "電力供給への支障：なし" in content


def test_review_page_prints_each_basis_once_and_groups_flags_by_kind(catalogue, users, officer):
    from legal.models import current_basis

    unmet = {code: "not_implemented" for code in ["ORG-1", "ORG-2", "SYS-1", "SYS-2", "OPS-1"]}
    review = make_review(officer, **unmet)
    content = client_for(users[Role.REVIEWER]).get(review.get_absolute_url()).content.decode()
    assert review.flags.filter(kind="change_order").count() == 5
    assert content.count(current_basis("criterion-change-order").text[:60]) == 1
    assert content.count('href="#basis-1"') == 5
    assert "変更命令等候補 (5)" in content


def test_deciding_a_flag_returns_to_the_next_flag_awaiting_a_decision(catalogue, users, officer):
    unmet = {code: "not_implemented" for code in ["ORG-1", "ORG-2", "SYS-1"]}
    review = make_review(officer, **unmet)
    waiting = list(review.flags.in_review_order().filter(pk__in=review.flags.awaiting_decision()))
    assert len(waiting) >= 3
    first, second, last = waiting[0], waiting[1], waiting[-1]
    client = client_for(users[Role.REVIEWER])

    def uphold(flag):
        url = reverse("reviews:flag_decide", args=[flag.pk])
        return client.post(url, {f"flag-{flag.pk}-decision": "uphold"}).url

    base = review.get_absolute_url()
    assert uphold(first) == f"{base}?page=1&open={second.pk}#flag-{second.pk}"
    assert uphold(last) == f"{base}?page=1&open={second.pk}#flag-{second.pk}"  # from the top


def add_flags(review, count: int) -> None:
    from reviews.models import Flag

    Flag.objects.bulk_create(
        Flag(
            review=review,
            kind="change_order",
            rule="test",
            item_code=f"X-{n:03d}",
            item_title=f"追加項目 {n}",
            finding="「未実施」と回答しています",
            legal_basis="根拠の本文",
        )
        for n in range(count)
    )


def test_review_page_lists_flags_25_a_page_with_the_same_queries_at_any_count(
    catalogue, users, officer
):
    client = client_for(users[Role.REVIEWER])
    counts = {}
    for extra in (0, 60):
        review = make_review(officer, **{"ORG-1": "not_implemented"})
        add_flags(review, extra)
        client.get(review.get_absolute_url())
        with CaptureQueriesContext(connection) as page:
            response = client.get(review.get_absolute_url())
        counts[extra] = len(page)
    assert counts[0] == counts[60], counts
    total = review.flags.count()
    assert len(re.findall(r'<article [^>]*id="flag-\d+"', response.content.decode())) == 25
    assert f"{total} 件中 1–25 件目" in response.content.decode()
    pages = -(-total // 25)
    last_page = client.get(review.get_absolute_url(), {"page": pages}).content.decode()
    assert len(re.findall(r'<article [^>]*id="flag-\d+"', last_page)) == total - 25 * (pages - 1)
    flag = review.flags.in_review_order()[30]
    url = reverse("reviews:flag_decide", args=[flag.pk])
    response = client.post(url, {f"flag-{flag.pk}-decision": "withdraw"})
    assert response.status_code == 400  # no reason: the page holding the flag, bound
    assert f'id="flag-{flag.pk}"' in response.content.decode()


def test_a_reviewer_upholds_several_flags_with_one_reason_and_goes_on_to_the_next(
    catalogue, users, officer
):
    unmet = {code: "not_implemented" for code in ["ORG-1", "ORG-2", "SYS-1", "SYS-2"]}
    review = make_review(officer, **unmet)
    waiting = list(review.flags.in_review_order().filter(pk__in=review.flags.awaiting_decision()))
    picked = waiting[:3]
    client = client_for(users[Role.REVIEWER])
    page = client.get(review.get_absolute_url()).content.decode()
    assert page.count('form="bulk-decide"') == len(waiting)
    url = reverse("reviews:flags_decide", args=[review.pk])
    data = {"flags": [flag.pk for flag in picked], "decision": "uphold", "reason": "未実施を確認"}
    response = client.post(url, data)
    assert response.url == (
        f"{review.get_absolute_url()}?page=1&open={waiting[3].pk}#flag-{waiting[3].pk}"
    )
    decided = review.flags.filter(pk__in=[flag.pk for flag in picked])
    assert set(decided.values_list("decision", "decision_reason")) == {("uphold", "未実施を確認")}
    assert AuditEvent.objects.filter(action="flag.uphold").count() == 3


def test_a_bulk_withdrawal_without_a_reason_records_nothing_and_keeps_the_ticks(
    catalogue, users, officer
):
    review = make_review(officer, **{"ORG-1": "not_implemented", "ORG-2": "not_implemented"})
    flags = list(review.flags.awaiting_decision())
    client = client_for(users[Role.REVIEWER])
    url = reverse("reviews:flags_decide", args=[review.pk])
    response = client.post(url, {"flags": [flag.pk for flag in flags], "decision": "withdraw"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "取り下げる理由を記入してください" in content or "理由" in content
    assert all(
        re.search(rf'id="pick-{flag.pk}" form="bulk-decide" data-group="\w+" checked', content)
        for flag in flags
    )
    assert not review.flags.exclude(decision="").exists()
    nothing = client.post(url, {"decision": "uphold"})
    assert nothing.status_code == 400
    assert "判断する指摘にチェックを付けてください" in nothing.content.decode()


def test_the_dashboards_candidates_tile_counts_the_filings_its_link_lists(
    catalogue, users, officer
):
    make_review(officer, **{"ORG-1": "not_implemented", "ORG-2": "not_implemented"})
    make_review(officer, **{"SYS-1": "not_implemented"})
    make_review(officer)
    client = client_for(users[Role.REVIEWER])
    board = client.get(reverse("reviews:dashboard")).content.decode()
    tile = re.search(r'has_candidates=on">(\d+)</a>', board)
    assert tile is not None
    listed = client.get(reverse("reviews:review_queue"), {"has_candidates": "on"})
    rows = re.findall(r'href="/reviews/\d+/"', listed.content.decode())
    assert int(tile.group(1)) == len(set(rows)) == 2
    assert "候補 3 件" in board


def test_a_flag_shows_what_the_filer_answered_with_the_target_date(catalogue, users, officer):
    review = make_review(officer, **{"SYS-1": "not_implemented"})
    flag = review.flags.get(item_code="SYS-1", kind="change_order")
    entry = next(e for e in review.filing.submission.snapshot["items"] if e["code"] == "SYS-1")
    assert entry["target_date"]
    content = client_for(users[Role.REVIEWER]).get(review.get_absolute_url()).content.decode()
    card = content[content.index(f'id="flag-{flag.pk}"') :]
    card = card[: card.index("</article>")]
    assert "提出時の内容" in card and "未実施" in card and "対応予定日" in card


def test_the_csv_leaves_days_left_empty_for_a_decided_review_as_the_queue_does(review, users):
    from reviews.services import determine_review

    for flag in review.flags.awaiting_decision():
        decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    determine_review(
        review=review, actor=users[Role.REVIEW_LEAD], determination="order_procedure", reason="可"
    )
    response = client_for(users[Role.REVIEWER]).get(
        reverse("reviews:review_queue"), {"format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == review.filing.receipt_number)
    assert row[4] == ""


def test_findings_and_bases_read_in_english_marked_as_translations_of_the_japanese_record(
    catalogue, users, officer
):
    from legal.models import current_basis

    japanese_basis = current_basis("criterion-change-order").text
    review = make_review(officer, **{"SYS-1": "not_implemented"})
    client = client_for(users[Role.REVIEWER])
    english = client.get(review.get_absolute_url(), headers={"accept-language": "en"})
    content = english.content.decode()
    assert "Answered “Not implemented”" in content
    assert "[Translation of the Japanese basis, which is the record]" in content
    assert japanese_basis[:40] not in content
    japanese = client.get(review.get_absolute_url()).content.decode()
    assert japanese_basis[:40] in japanese and "Translation of the Japanese basis" not in japanese
    flag = review.flags.get(item_code="SYS-1", kind="change_order")
    assert flag.finding.startswith("「未実施」")  # the record stays Japanese


def test_the_queue_filters_name_their_empty_choices(catalogue, users):
    content = client_for(users[Role.REVIEWER]).get(reverse("reviews:review_queue")).content.decode()
    assert "---------" not in content and "Select an option" not in content
    assert "すべての状態" in content


def test_the_dashboard_counts_open_candidates_by_category_as_its_links_list_them(
    catalogue, users, officer
):
    make_review(officer, **{"ORG-1": "not_implemented", "ORG-2": "not_implemented"})
    make_review(officer, **{"ORG-1": "not_implemented", "SYS-1": "not_implemented"})
    make_review(officer)
    client = client_for(users[Role.REVIEWER])
    board = client.get(reverse("reviews:dashboard")).content.decode()
    for code, filings in (("ORG", 2), ("SYS", 1)):
        link = re.search(rf'href="/reviews/\?category={code}">(\d+)</a>', board)
        assert link is not None and int(link.group(1)) == filings
        listed = client.get(reverse("reviews:review_queue"), {"category": code}).content.decode()
        assert len(set(re.findall(r'href="/reviews/\d+/"', listed))) == filings
    org = board[board.index('?category=ORG">') :][:200]
    assert "<td>3</td>" in org  # three ORG candidates behind the two filings


def test_the_dashboards_numbers_are_right_with_the_same_queries_at_any_size(
    catalogue, users, officer
):
    client = client_for(users[Role.REVIEWER])
    board = reverse("reviews:dashboard")
    client.get(board)
    make_review(officer, **{"ORG-1": "not_implemented", "ORG-2": "not_implemented"})
    with CaptureQueriesContext(connection) as few:
        client.get(board)
    make_review(officer, **{"ORG-1": "not_implemented", "SYS-1": "not_implemented"})
    make_review(officer)
    decided = make_review(officer, **{"SYS-1": "not_implemented"})
    flag = decided.flags.get(item_code="SYS-1", kind="change_order")
    decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason="是正済み")
    with CaptureQueriesContext(connection) as more:
        response = client.get(board)
    assert len(few) == len(more)
    context = response.context
    assert context["open_candidates"] == 4  # ORG-1 ×2, ORG-2, SYS-1; the withdrawn one not
    assert context["with_candidates"] == 2
    assert [(row["item_code"], row["count"]) for row in context["unmet"][:3]] == [
        ("ORG-1", 2),
        ("SYS-1", 2),  # raised twice; the dashboard counts what was found, decided or not
        ("ORG-2", 1),
    ]
    by_category = {
        row["code"]: (row["filings"], row["candidates"]) for row in context["by_category"]
    }
    assert by_category["ORG"] == (2, 3) and by_category["SYS"] == (1, 1)
    statuses = {str(label): n for label, n in context["statuses"]}
    assert statuses[str(Review.Status.RECEIVED.label)] == 3
    assert statuses[str(Review.Status.UNDER_REVIEW.label)] == 1  # a flag decided


def test_an_incident_at_a_lower_level_aggregator_names_one_declared_in_the_latest_filing(
    catalogue, users
):
    from filings.models import LowerAggregator
    from filings.services import submit_filing
    from tests.factories import answer_all, make_filing

    officer = users[Role.AGGREGATOR_OFFICER]
    filing = answer_all(make_filing(officer, uses_lower_aggregators=True))
    LowerAggregator.objects.create(filing=filing, name="下位エナジー株式会社", corporate_number="")
    submit_filing(filing=filing, actor=officer)
    client = client_for(officer)
    url = reverse("reviews:incident_create")
    assert '<option value="下位エナジー株式会社">' in client.get(url).content.decode()
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    fields = {
        "occurred_at": past,
        "detected_at": past,
        "location": "lower",
        "summary": "感染",
        "affected_systems": "端末",
        "supply_impact": "at_risk",
    }
    typed = client.post(url, {**fields, "lower_aggregator_name": "どこかの会社"})
    assert typed.status_code == 400  # not one of those declared
    chosen = client.post(url, {**fields, "lower_aggregator_name": "下位エナジー株式会社"})
    assert chosen.status_code == 302


def test_queue_search_normalises_kana_middle_dots_spaces_and_width(catalogue, users):
    from tests.factories import AggregatorFactory

    company = AggregatorFactory.create(name="エー・アグリゲーションABC株式会社")
    mine = make_review(user_with_role(Role.AGGREGATOR_OFFICER, company))
    other = make_review(
        user_with_role(
            Role.AGGREGATOR_OFFICER, AggregatorFactory.create(name="ビー・エナジー株式会社")
        )
    )
    client = client_for(users[Role.REVIEWER])
    for typed in ["ｴｰ･ｱｸﾞﾘ", "エーアグリ", "エー　アグリ", "ＡＢＣ", "abc"]:
        content = client.get(QUEUE, {"company": typed}).content.decode()
        assert mine.filing.receipt_number in content, typed
        assert other.filing.receipt_number not in content, typed


def test_the_queue_links_a_change_notification_to_the_filing_it_amends(catalogue, users, officer):
    from filings.services import start_change_notification, submit_filing

    review = make_review(officer)
    change = start_change_notification(filing=review.filing, actor=officer)
    submit_filing(filing=change, actor=officer)
    content = client_for(users[Role.REVIEWER]).get(QUEUE).content.decode()
    assert (
        f'href="{review.filing.get_absolute_url()}">{review.filing.receipt_number}</a>' in content
    )


def test_the_review_page_shows_the_filed_lower_level_coverage_and_the_amended_filing(
    catalogue, users, officer
):
    from filings.services import start_change_notification, submit_filing

    review = make_review(officer)
    change = start_change_notification(filing=review.filing, actor=officer)
    change.answers.filter(item__code="SYS-1").update(status="partial", implementation="分離中")
    submit_filing(filing=change, actor=officer)
    change.refresh_from_db()
    content = client_for(users[Role.REVIEWER]).get(change.review.get_absolute_url())
    text = content.content.decode()
    assert f"{review.filing.receipt_number} の変更届出" in text
    assert f'href="{review.filing.get_absolute_url()}"' in text
    assert "分離中" in text  # the change list: SYS-1 before and after
    assert 'id="filed-lower-title"' in text
