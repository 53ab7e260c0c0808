"""Benchmark: report rendering through the portal vs bare WeasyPrint, and signing time.

Run: .venv/bin/python bench/render_reports.py   (DEBUG is forced off)
Renders report 1 for a 16-item and a 200-item snapshot (made up in memory, not stored) through
reports.rendering.render_pdf, the same HTML with bare WeasyPrint (no fetch restriction), and signs
each PDF. One warm-up call each, then interleaved runs (the order alternates); prints medians.
Nothing is asserted. bench/scale.py measures the same on a stored 40-item filing.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DJANGO_DEBUG"] = ""  # off, as in production
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from reports import rendering as reports  # noqa: E402
from reports import signing  # noqa: E402

TITLES = {  # no database: the guideline titles the report prints instead of codes
    "ERAB-CSGL": (
        "エネルギー・リソース・アグリゲーション・ビジネスに関するサイバーセキュリティガイドライン"
    )
}
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
IMPLEMENTATION = (
    "社内規程に基づき、制御系ネットワークを情報系から分離し、定期的に確認している。" * 2
)


def snapshot(items: int) -> dict:
    entries = [
        {
            "code": f"ITEM-{n}",
            "category": [
                "組織",
                "文書化",
                "設備・システムのセキュリティ",
                "セキュリティ事故の対応",
            ][n % 4],
            "title_ja": f"項目 {n}：通信のセキュリティ（暗号化、通信プロトコル等）",
            "criterion": n % 3 != 0,
            "allows_not_applicable": False,
            "lower_aggregator_requirement": False,
            "lower_coverage": False,
            "sources": [
                {
                    "guideline": "ERAB-CSGL",
                    "edition": "Ver2.0",
                    "clause": "3.6.1（条項番号未確認）",
                    "level": "kankoku",
                    "verification": "inferred",
                }
            ],
            "status": ["implemented", "partial", "not_implemented"][n % 3],
            "implementation": IMPLEMENTATION,
            "justification": "",
            "target_date": "2027-03-31",
            "evidence": [n],
        }
        for n in range(items)
    ]
    return {
        "receipt_number": "CS-2026-000001",
        "submitted_at": "2026-11-26T10:00:00+09:00",
        "submitted_by": {"name": "責任者", "email": "officer@example.jp"},
        "organisation": {
            "name": "ベンチ株式会社",
            "corporate_number": "7000012050002",
            "address": "東京都",
        },
        "catalogue": {"version": "2026.1", "title_ja": "チェックリスト"},
        "filing": {"kind": "new", "expected_capacity_kw": 5000, "planned_start_date": "2027-04-01"},
        "items": entries,
        "evidence": [
            {
                "id": n,
                "kind": "item",
                "name": f"証跡{n}.pdf",
                "content_type": "application/pdf",
                "size": 1024,
                "sha256": "0" * 64,
            }
            for n in range(items)
        ],
        "lower_aggregators": {"uses": False, "aggregators": [], "coverage": []},
    }


def interleaved(functions: dict, runs=RUNS) -> dict:
    """A warm-up call of each, then ``runs`` rounds calling each in turn, the order alternating
    from round to round: the median seconds of each."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for run in range(runs):
        for name in list(functions)[:: 1 if run % 2 == 0 else -1]:
            start = time.perf_counter()
            functions[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main():
    with tempfile.TemporaryDirectory() as directory:
        settings.REPORT_SIGNING_KEY = Path(directory) / "key.pem"
        settings.REPORT_SIGNING_CERT = Path(directory) / "cert.pem"
        signing.create_certificate(Path(directory))
        print(f"runs per figure: {RUNS} (median)")
        base = reports.PRINT_STATIC.as_uri() + "/"
        for items in (16, 200):
            context = reports.filing_report_context(
                snapshot=snapshot(items), sha256="f" * 64, titles=TITLES
            )
            with translation.override("ja"):
                html = render_to_string("reports/print/filing_report.html", context)
            pdf = reports.render_pdf("reports/print/filing_report.html", context)
            medians = interleaved(
                {
                    "portal": lambda c=context: reports.render_pdf(
                        "reports/print/filing_report.html", c
                    ),
                    "bare": lambda h=html: HTML(string=h, base_url=base).write_pdf(),
                    "signing": lambda p=pdf: signing.sign_pdf(p),
                }
            )
            portal, bare, signed_time = medians["portal"], medians["bare"], medians["signing"]
            print(
                f"{items:>3} items: portal {portal:.2f} s, bare WeasyPrint {bare:.2f} s, "
                f"ratio {portal / bare:.2f}, signing {signed_time * 1000:.0f} ms, "
                f"{len(pdf) / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
