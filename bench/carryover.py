"""Benchmark for issue 19: moving a draft to the next catalogue version, 29 vs 500 items.

Run: .venv/bin/python bench/carryover.py [--rounds N]

Follows bench/scale.py's rules: a throwaway SQLite database under /tmp, DEBUG off, one warm-up
pass, N interleaved rounds (the two sizes alternate their order), a garbage collection before each
timed call (untimed), median and min–max; query counts in a separate pass; the load average
noted. Each timed call moves a fresh, fully answered draft with evidence on every answer (built
untimed) and is rolled back afterwards, so every round measures the same work. Writes
bench/results/carryover-<date>.md and prints it. Nothing is asserted.
"""

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = Path("/tmp/bench-carryover.sqlite3")  # noqa: S108
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DJANGO_DEBUG="",
    DATABASE_URL=f"sqlite:///{DB}",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="ERROR",
)
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role  # noqa: E402
from bench.scale_data import base_database, publish_size  # noqa: E402
from checklists.models import Catalogue  # noqa: E402
from checklists.services import create_draft_catalogue, publish_catalogue  # noqa: E402
from filings import services  # noqa: E402
from filings.models import Evidence, Filing  # noqa: E402
from tests.factories import answer_all, make_filing  # noqa: E402


def build() -> dict:
    shipped, users = base_database()
    admin, staff = users[Role.ADMIN], users[Role.AGGREGATOR_STAFF]
    pairs = {}
    for size, old in ((29, shipped), (500, publish_size(shipped, 500, admin))):
        new = publish_catalogue(
            catalogue=create_draft_catalogue(based_on=old, version=f"next-{size}", actor=admin),
            actor=admin,
        )
        pairs[size] = (old, new)
    return {"pairs": pairs, "staff": staff}


def fresh_draft(old: Catalogue, new: Catalogue, staff) -> Filing:
    """Untimed: ``new`` is the current version, a fully answered draft on ``old`` with one
    evidence file linked to every answer."""
    Catalogue.objects.filter(pk=new.pk).update(published_at=timezone.now())
    filing = make_filing(staff)
    Filing.objects.filter(pk=filing.pk).update(catalogue=old)
    filing.answers.all().delete()
    filing.coverage.all().delete()
    filing.refresh_from_db()
    services._add_rows(filing)
    answer_all(filing)
    evidence = Evidence.objects.create(
        filing=filing,
        original_name="方針.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=staff,
        file="evidence/bench",
    )
    evidence.answers.set(filing.answers.all())
    return filing


def timed_move(built: dict, size: int, capture: bool = False) -> tuple[float, int]:
    old, new = built["pairs"][size]
    with transaction.atomic():
        filing = fresh_draft(old, new, built["staff"])
        gc.collect()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            services.move_filing(filing=filing, actor=built["staff"])
            elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed, len(queries) if capture else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    options = parser.parse_args()
    assert not settings.DEBUG
    DB.unlink(missing_ok=True)
    load_start = os.getloadavg()
    built = build()
    sizes = [29, 500]
    for size in sizes:  # warm-up
        timed_move(built, size)
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for round_ in range(options.rounds):
        for size in sizes if round_ % 2 == 0 else reversed(sizes):
            times[size].append(timed_move(built, size)[0])
    queries = {size: timed_move(built, size, capture=True)[1] for size in sizes}
    load_end = os.getloadavg()
    lines = [
        f"# Carry-over benchmark ({date.today().isoformat()})",
        "",
        f"{options.rounds} interleaved rounds after a warm-up; DEBUG off; SQLite; "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}, Django "
        f"{django.get_version()}; load average at start {load_start[0]:.2f}, at end "
        f"{load_end[0]:.2f} (a shared machine: other engineers' tests run beside it).",
        "",
        "| move a draft (every answer carried, one evidence file on each) | median ms | min–max ms "
        "| queries |",
        "|---|---:|---:|---:|",
    ]
    for size in sizes:
        values = times[size]
        lines.append(
            f"| {size} items | {statistics.median(values) * 1000:,.1f} | "
            f"{min(values) * 1000:,.1f}–{max(values) * 1000:,.1f} | {queries[size]} |"
        )
    table = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / f"carryover-{date.today().isoformat()}.md"
    out.write_text(table)
    DB.unlink(missing_ok=True)
    print(table)
    print(f"written: {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
