"""Benchmark for issue 10: the portal with catalogues of 16–500 items and 100 or 10,000 filings.

Run: .venv/bin/python bench/scale.py [--quick]      (see bench/README.md)

Builds throwaway SQLite databases under /tmp (never the project's own), then measures in-process
with django.test.Client, DEBUG off and HTTPS settings as in production: one warm-up pass, N
interleaved rounds (every measurement once per round; the variants of a group alternate their
order from round to round; a garbage collection before each, untimed), median and min–max;
query counts in a separate pass. Writes bench/results/scale-<date>[-quick].json and .md and
prints the Markdown table. Nothing is asserted.
"""

import argparse
import copy
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Fixed names, deleted and rebuilt on every run; nothing else is written there. BENCH_TAG keeps
# two runs on one machine (two checkouts compared) apart.
TAG = "".join(c for c in os.environ.get("BENCH_TAG", "") if c.isalnum())
SMALL_DB = Path(f"/tmp/bench-scale{TAG and '-' + TAG}.sqlite3")  # noqa: S108
LARGE_DB = Path(f"/tmp/bench-scale{TAG and '-' + TAG}-large.sqlite3")  # noqa: S108
# PostgreSQL: two databases of these names on the server of BENCH_POSTGRES (a role that may
# create databases), dropped and rebuilt on every run.
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://portal:portal-ci@127.0.0.1:5432")
PG_SMALL = f"bench_scale{TAG and '_' + TAG}"
PG_LARGE = f"{PG_SMALL}_large"
ENGINE = "postgresql" if "--engine=postgresql" in sys.argv else "sqlite"
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DJANGO_DEBUG="",  # off, whatever the shell says
    DATABASE_URL=f"{POSTGRES}/{PG_SMALL}" if ENGINE == "postgresql" else f"sqlite:///{SMALL_DB}",
    ALLOWED_HOSTS="testserver",
    EMAIL_SMTP="0",
    LOG_LEVEL="ERROR",
    # The clients log in with force_login (no second factor); production requires one of
    # regulators, which would send the reviewer to enrolment instead of the pages measured.
    MFA_ENFORCED="0",
)
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from accounts.models import Role  # noqa: E402
from bench import scale_data as data  # noqa: E402
from filings.checklist_views import PAGE_SIZE  # noqa: E402
from filings.completeness import section_progress  # noqa: E402
from filings.models import Filing  # noqa: E402
from reports import rendering, signing  # noqa: E402
from reviews.models import Review  # noqa: E402
from tests.filings.test_views import answer_post  # noqa: E402

SIZES = (16, 40, 360, 500)
TARGETS = {  # issue 10's targets, shown beside the figures (not asserted)
    "checklist, first section, 360 items": "≤ 45 ms, ≤ 10 q",
    "checklist, first section, 500 items": "≤ 45 ms, ≤ 10 q",
    "save one answer, 40 items": "≤ 17 ms",
    "save one answer, 500 items": "≤ 17 ms",
    "review page, 360 items": "≤ 150 ms",
}


@dataclass
class Case:
    group: str
    label: str
    make: Any  # untimed setup; returns the timed call, which returns (HTTP status, bytes)
    db: str = "small"
    times: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0
    size: int = 0


DATABASES: dict[str, Any] = {}


def use(name: str) -> None:
    connections["default"] = DATABASES[name]  # both stay open: no cold cache after a switch


def open_database(name: str):
    default = DATABASES["small"]
    return type(default)({**copy.deepcopy(default.settings_dict), "NAME": name}, "default")


def answered(response) -> tuple[int, int]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body)


def get(client, url, params=None):
    return lambda: lambda: answered(client.get(url, params or {}, secure=True))


def save(client, filing, code, *, in_place: bool = False):
    """Saving one answer, alternating two statuses (so its section's progress changes each time);
    ``in_place``: as the checklist page's script posts it, answered with the item's card."""
    turn = iter(range(10**6))
    headers = {"X-Fragment": "answer"} if in_place else {}

    def make():
        n = next(turn)
        status = "partial" if n % 2 else "implemented"
        url, post = answer_post(filing, code, status=status, implementation=f"対策 {n}")
        return lambda: answered(client.post(url, post, secure=True, headers=headers))

    return make


def all_section_pages(client, filing):
    """Every page of every section of the checklist, one after another: what seeing every item
    took before the one view of the whole filing."""
    urls = []
    for section in section_progress(filing):
        url = reverse("filings:filing_checklist_section", args=[filing.pk, section.code])
        pages = -(-section.total // PAGE_SIZE)
        urls += [(url, {"page": n} if n > 1 else {}) for n in range(1, pages + 1)]

    def run():
        responses = [client.get(url, params, secure=True) for url, params in urls]
        worst = max(r.status_code for r in responses)
        return worst, sum(len(r.content) for r in responses)

    return lambda: run


def admin_sql(*statements: str) -> None:
    import psycopg2  # type: ignore[import-untyped]

    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    admin.autocommit = True  # CREATE and DROP DATABASE refuse to run in a transaction
    try:
        with admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        admin.close()


def fresh_small_database() -> None:
    if ENGINE == "postgresql":
        drops = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in (PG_SMALL, PG_LARGE)]
        admin_sql(*drops, f'CREATE DATABASE "{PG_SMALL}"')
    else:
        for path in (SMALL_DB, LARGE_DB):
            path.unlink(missing_ok=True)


def copy_to_large() -> str:
    """The small database copied whole; the name of the copy."""
    connection.close()
    if ENGINE == "postgresql":
        admin_sql(f'CREATE DATABASE "{PG_LARGE}" TEMPLATE "{PG_SMALL}"')
        return PG_LARGE
    shutil.copyfile(SMALL_DB, LARGE_DB)
    return str(LARGE_DB)


def analyse() -> None:
    """Planner statistics after the bulk writes, as autovacuum would gather them in production."""
    if ENGINE == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build(quick: bool) -> dict:
    fresh_small_database()
    started = time.perf_counter()
    shipped, users = data.base_database()
    staff, officer = users[Role.AGGREGATOR_STAFF], users[Role.AGGREGATOR_OFFICER]
    reviewer, admin = users[Role.REVIEWER], users[Role.ADMIN]
    plain = data.submitted_filing(officer)  # shipped catalogue: the bulk filings' snapshot
    drafts = {}
    for size in SIZES:
        data.publish_size(shipped, size, admin)
        drafts[size] = data.draft_filing(staff)
        if size == 40:
            as_filed = data.submitted_filing(officer)
        if size == 360:
            flagged = data.submitted_filing(officer, unmet=True)
    totals = {"small": 100, "large": 1_000 if quick else 10_000}
    more = totals["small"] - Review.objects.count()
    data.bulk_filings(shipped, officer, reviewer, more, like=plain.submission)
    clients = {"staff": Client(), "reviewer": Client()}
    clients["staff"].force_login(staff)
    clients["reviewer"].force_login(reviewer)  # sessions are copied into the large database
    analyse()
    DATABASES["large"] = open_database(copy_to_large())
    use("large")
    more = totals["large"] - Review.objects.count()
    data.bulk_filings(shipped, officer, reviewer, more, like=plain.submission)
    analyse()
    use("small")
    print(f"data built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {
        "clients": clients,
        "drafts": drafts,
        "as_filed": as_filed,
        "flagged": flagged,
        "totals": totals,
        "flags": flagged.review.flags.count(),
    }


def pdf_cases(filing: Filing) -> list[Case]:
    """Report 1 through the portal (from the filing, as the report task does) vs bare WeasyPrint
    on the same HTML, without the portal's fetch restriction."""
    snapshot = filing.submission.snapshot
    with translation.override("ja"):
        context = rendering.filing_report_context(
            snapshot=snapshot, sha256=filing.submission.sha256
        )
        html = render_to_string("reports/print/filing_report.html", context)
    base = rendering.PRINT_STATIC.as_uri() + "/"

    def portal():
        fresh = Filing.objects.get(pk=filing.pk)
        return lambda: (200, len(rendering.render_filing_report(fresh)))

    def bare():
        return lambda: (200, len(HTML(string=html, base_url=base).write_pdf()))

    group = "as-filed PDF, 40 items"
    return [Case(group, f"{group}, portal", portal), Case(group, f"{group}, bare WeasyPrint", bare)]


def cases(built: dict) -> list[list[Case]]:
    staff, reviewer = built["clients"]["staff"], built["clients"]["reviewer"]
    groups: list[list[Case]] = []
    drafts = built["drafts"]
    for name, url, make in [
        ("checklist, first section", "filings:filing_checklist", get),
        ("check-and-submit page", "filings:filing_submit", get),
    ]:
        groups.append(
            [
                Case(name, f"{name}, {s} items", make(staff, reverse(url, args=[drafts[s].pk])))
                for s in SIZES
            ]
        )
    groups.append(
        [
            Case("save one answer", f"save one answer, {s} items", save(staff, drafts[s], "ORG-1"))
            for s in SIZES
        ]
    )
    name = "save one answer in place"
    groups.append(
        [
            # Another item than the plain save's: its status alternates on its own, so each
            # save changes its section's counts (the dearer answer, with the progress).
            Case(name, f"{name}, {s} items", save(staff, drafts[s], "ORG-2", in_place=True))
            for s in SIZES
        ]
    )
    name = "every item of a filing, 360 items"
    whole = [Case(name, f"{name}, all section pages", all_section_pages(staff, drafts[360]))]
    try:  # the one view (issue 20); absent when this script measures an older checkout
        draft_url = reverse("filings:filing_whole", args=[drafts[360].pk])
        filed_url = reverse("filings:filing_whole", args=[built["flagged"].pk])
    except NoReverseMatch:
        pass
    else:
        whole.append(Case(name, f"{name}, one view (draft)", get(staff, draft_url)))
        whole.append(Case(name, f"{name}, one view (as filed)", get(reviewer, filed_url)))
    groups.append(whole)
    queue = reverse("reviews:review_queue")
    for variant, params in [
        ("default", {}),
        ("status filter", {"status": "under_review"}),
        ("sorted by open candidates", {"sort": "-candidates"}),
        # Coalesce(window_extended_to, deadline) read off its expression index (issue 16).
        ("sorted by days left in the order window", {"sort": "window"}),
        # One company's full name: the same 5 matching filings at either size.
        ("company search", {"company": "ベンチ・アグリゲーター7株式会社"}),
        # A prefix matching ever more companies (55 filings of 100; 5,555 of 10,000).
        ("company search, broad", {"company": "ベンチ・アグリゲーター1"}),
        ("CSV", {"format": "csv"}),
    ]:
        name = f"queue, {variant}"
        groups.append(
            [
                Case(name, f"{name}, {n:,} filings", get(reviewer, queue, params), db)
                for db, n in built["totals"].items()
            ]
        )
    board = reverse("reviews:dashboard")
    groups.append(
        [
            Case("dashboard", f"dashboard, {n:,} filings", get(reviewer, board), db)
            for db, n in built["totals"].items()
        ]
    )
    detail = reverse("reviews:review_detail", args=[built["flagged"].review.pk])
    name = f"review page, 360 items, {built['flags']} flags"
    groups.append([Case("review page", name, get(reviewer, detail))])
    pdf = pdf_cases(built["as_filed"])
    groups.append(pdf)
    signed = rendering.render_filing_report(built["as_filed"])
    sign = Case(
        "signing", "sign the 40-item PDF", lambda: lambda: (200, len(signing.sign_pdf(signed)))
    )
    groups.append([sign])
    return groups


def call(case: Case) -> float:
    use(case.db)
    timed = case.make()
    gc.collect()  # the previous measurement's garbage is not charged to this one
    start = time.perf_counter()
    case.status, case.size = timed()
    return time.perf_counter() - start


def measure(groups: list[list[Case]], rounds: int) -> None:
    every = [case for group in groups for case in group]
    for case in every:  # warm-up: templates, translations, WeasyPrint fonts, SQLite pages
        call(case)
    for round_ in range(rounds):
        for group in groups:
            for case in group if round_ % 2 == 0 else reversed(group):
                case.times.append(call(case))
        print(f"round {round_ + 1}/{rounds} done", file=sys.stderr)
    for case in every:  # queries apart: capturing them slows the timed runs
        use(case.db)
        timed = case.make()
        with CaptureQueriesContext(connection) as queries:
            timed()
        case.queries = len(queries)
    use("small")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def row(case: Case) -> dict:
    return {
        "group": case.group,
        "label": case.label,
        "median_ms": statistics.median(case.times) * 1000,
        "min_ms": min(case.times) * 1000,
        "max_ms": max(case.times) * 1000,
        "times_ms": [t * 1000 for t in case.times],
        "queries": case.queries,
        "bytes": case.size,
        "status": case.status,
        "target": next((t for k, t in TARGETS.items() if case.label.startswith(k)), ""),
    }


def ratios(rows: dict[str, dict], built: dict) -> list[dict]:
    small, large = (f"{n:,} filings" for n in built["totals"].values())
    queues = dict.fromkeys(r["group"] for r in rows.values() if r["group"].startswith("queue"))
    pairs = [
        ("checklist, first section", "360 items", "40 items", "same q"),
        ("checklist, first section", "500 items", "40 items", "same q"),
        ("check-and-submit page", "500 items", "40 items", ""),
        ("save one answer", "500 items", "40 items", "≤ 1.2×"),
        ("save one answer in place", "500 items", "40 items", "≤ 1.2×"),
        ("every item of a filing, 360 items", "one view (draft)", "all section pages", "≤ 0.4×"),
        ("every item of a filing, 360 items", "one view (as filed)", "all section pages", "≤ 0.4×"),
        *[(q, large, small, "" if "CSV" in q else "≤ 1.3× time and bytes, same q") for q in queues],
        ("dashboard", large, small, ""),
        ("as-filed PDF, 40 items", "portal", "bare WeasyPrint", "≤ 1.1×"),
        ("as-filed PDF, 40 items", "signing", "portal", "≤ 0.3×"),
    ]
    result = []
    for group, top, bottom, target in pairs:
        a = rows.get("sign the 40-item PDF" if top == "signing" else f"{group}, {top}")
        b = rows.get(f"{group}, {bottom}")
        if a is None or b is None:  # not measured in this run (--only, or an older checkout)
            continue
        result.append(
            {
                "ratio": f"{group}: {top} vs {bottom}",
                "time": a["median_ms"] / b["median_ms"],
                "bytes": a["bytes"] / b["bytes"] if b["bytes"] else None,
                "queries": f"{b['queries']} → {a['queries']}",
                "target": target,
            }
        )
    return result


def markdown(results: dict) -> str:
    lines = [
        f"## Scale benchmark, {results['date']}{' (quick)' if results['quick'] else ''}",
        "",
        f"DEBUG off, in-process django.test.Client over HTTPS settings, {results['database']}; "
        f"warm-up, then "
        f"{results['rounds']} interleaved rounds: median and min–max; queries from a separate "
        f"pass. Load average (1 min) {results['load_start'][0]:.2f} at start, "
        f"{results['load_end'][0]:.2f} at end; {results['cpus']} CPUs; Python "
        f"{results['python']}, Django {results['django']}.",
        "",
        "| measurement | median ms | min–max ms | queries | bytes | HTTP | target |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for r in results["measurements"]:
        lines.append(
            f"| {r['label']} | {ms(r['median_ms'] / 1000)} | {ms(r['min_ms'] / 1000)}–"
            f"{ms(r['max_ms'] / 1000)} | {r['queries']} | {r['bytes']:,} | {r['status']} "
            f"| {r['target']} |"
        )
    lines += ["", "| ratio | time | bytes | queries | target |", "|---|--:|--:|---|---|"]
    for r in results["ratios"]:
        size = f"{r['bytes']:.2f}×" if r["bytes"] is not None else "—"
        lines.append(
            f"| {r['ratio']} | {r['time']:.2f}× | {size} | {r['queries']} | {r['target']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, 1,000 filings")
    parser.add_argument("--rounds", type=int, help="timed rounds (default 9, quick 3)")
    parser.add_argument(
        "--engine",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="both (the default): SQLite, then PostgreSQL, each in its own process",
    )
    parser.add_argument("--only", help="only the groups whose name contains this text")
    options = parser.parse_args()
    if options.engine == "both":
        for engine in ("sqlite", "postgresql"):
            argv = [a for a in sys.argv[1:] if not a.startswith("--engine")]
            command = [sys.executable, __file__, f"--engine={engine}", *argv]
            subprocess.run(command, check=True)  # noqa: S603  # this script, its own options
        return
    rounds = options.rounds or (3 if options.quick else 9)
    assert not settings.DEBUG
    load_start = os.getloadavg()
    DATABASES["small"] = connections["default"]
    with tempfile.TemporaryDirectory() as directory:
        settings.STATIC_ROOT = Path(directory) / "static"  # manifest storage, as in production
        storage: dict[str, Any] = {**settings.STORAGES["default"]}  # type: ignore[dict-item]
        storage["OPTIONS"] = {"location": Path(directory) / "media", "base_url": None}
        settings.STORAGES["default"] = storage
        call_command("collectstatic", interactive=False, verbosity=0)
        settings.REPORT_SIGNING_KEY = Path(directory) / "key.pem"
        settings.REPORT_SIGNING_CERT = Path(directory) / "cert.pem"
        signing.create_certificate(Path(directory))
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        built = build(options.quick)
        groups = [g for g in cases(built) if not options.only or options.only in g[0].group]
        measure(groups, rounds)
    rows = {case.label: row(case) for group in groups for case in group}
    results = {
        "date": date.today().isoformat(),
        "engine": ENGINE,
        "checkout": TAG or "this",
        "database": connection.display_name + f" {connection.get_database_version()}",
        "quick": options.quick,
        "rounds": rounds,
        "load_start": load_start,
        "load_end": os.getloadavg(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "filings": built["totals"],
        "measurements": list(rows.values()),
        "ratios": ratios(rows, built),
    }
    table = markdown(results)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stem = f"scale-{results['date']}-{ENGINE}{TAG and '-' + TAG}{'-quick' if options.quick else ''}"
    (out / f"{stem}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    (out / f"{stem}.md").write_text(table)
    print(table)
    print(f"written: bench/results/{stem}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
