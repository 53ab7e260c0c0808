import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditAnchor, Organisation, User
from outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_seed_demo_creates_the_documented_accounts_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", password="demo-password-2026", stdout=StringIO())
    call_command("seed_demo", password="demo-password-2026", stdout=StringIO())
    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {
        "reviewer@regulator.example",
        "lead@regulator.example",
        "admin@regulator.example",
        "staff@aggregator-a.example",
        "officer@aggregator-a.example",
        "staff@aggregator-b.example",
        "officer@aggregator-b.example",
    }
    assert Organisation.objects.filter(kind="aggregator").count() == 2
    for organisation in Organisation.objects.all():
        organisation.full_clean()
    assert User.objects.get(email="officer@aggregator-a.example").check_password(
        "demo-password-2026"
    )
    # The admin finds a signed anchor of the audit log, and its mail in the outbox.
    assert AuditAnchor.objects.filter(reason="daily").exists()
    assert OutgoingMail.objects.filter(recipients=["admin@regulator.example"]).exists()


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def deploy_check(**environment: str) -> subprocess.CompletedProcess:
    scanner_keys = ("CLAMD_SOCKET", "CLAMD_HOST", "CLAMD_PORT", "EVIDENCE_SCANNER")
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and k not in scanner_keys
        },
        "DJANGO_DEBUG": "",
        "SECRET_KEY": "a-long-production-secret-key-" + "x" * 40 + "-with-variety-1234567890",
        "ALLOWED_HOSTS": "portal.example.jp",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    # Production scans evidence: a clamd address is part of its settings (the check does not
    # connect; scripts/serve starts clamd with START_CLAMD=1).
    result = deploy_check(CLAMD_SOCKET="/run/clamav/clamd.ctl")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_when_no_malware_scanner_is_configured():
    result = deploy_check()
    assert result.returncode != 0
    assert "filings.W001" in result.stdout + result.stderr
    assert deploy_check(CLAMD_HOST="clamav").returncode == 0
