"""Uploads through a real clamd (ClamAV), started with the signature database of
tests/clamd_signatures.py (``bash scripts/clamd DIR --test``; CI's .ci/run does it and exports
CLAMD_SOCKET and REQUIRE_CLAMD=1). Without a running clamd these tests are skipped locally and
fail in CI. The test double (EicarTestScanner) stays for the unit tests in test_scanning.py."""

import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filings.models import Evidence
from filings.scanning import ClamdScanner
from filings.uploads import inspect_upload
from tests.clamd_signatures import EICAR, PORTAL_TEST
from tests.factories import make_filing, plain_pdf
from tests.filings.test_uploads import office

pytestmark = pytest.mark.clamd


@pytest.fixture
def real_clamd(settings):
    socket_path = os.environ.get("CLAMD_SOCKET", "")
    running = bool(socket_path) and Path(socket_path).exists()
    if running:
        running = stat.S_ISSOCK(Path(socket_path).stat().st_mode)
    if not running:
        if os.environ.get("REQUIRE_CLAMD"):
            pytest.fail(f"REQUIRE_CLAMD is set but clamd is not at CLAMD_SOCKET={socket_path!r}")
        pytest.skip("no clamd running (start one: bash scripts/clamd /tmp/clamd --test)")
    settings.EVIDENCE_SCANNER = "filings.scanning.ClamdScanner"
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = socket_path, ""
    return socket_path


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile(name, content))
    return " ".join(error.value.messages)


def test_clamd_refuses_eicar_by_its_signature(real_clamd):
    assert "Eicar-Test-Signature" in refusal("メモ.txt", EICAR)


def test_clamd_finds_the_projects_own_signature_inside_a_compressed_office_file(real_clamd):
    # Only a scanner that unpacks the zip sees the deflated bytes: the test double would not.
    docx = office("word/", {"word/media/notes.xml": b"<n>" + PORTAL_TEST * 3 + b"</n>"})
    assert PORTAL_TEST not in docx
    assert "Portal.Test.Signature" in refusal("手順.docx", docx)


def test_clamd_reads_the_whole_stream_of_a_large_file(real_clamd):
    # Several INSTREAM chunks; the signature only in the last one.
    content = b"log line\n" * (3 * ClamdScanner.CHUNK_BYTES // 9) + PORTAL_TEST + b"\n"
    assert "Portal.Test.Signature" in refusal("ログ.txt", content)


def test_clean_files_pass_clamd(real_clamd):
    xlsx = office("xl/")
    for name, content in (("規程.pdf", plain_pdf()), ("台帳.xlsx", xlsx), ("メモ.txt", b"ok")):
        assert inspect_upload(SimpleUploadedFile(name, content)).size == len(content)


@pytest.mark.django_db
def test_an_infected_upload_through_the_form_is_refused_and_nothing_is_stored(
    real_clamd, catalogue, staff
):
    filing = make_filing(staff)
    client = Client()
    client.force_login(staff)
    url = reverse("filings:evidence_list", args=[filing.pk])
    for name, content in (("メモ.txt", EICAR), ("一覧.csv", b"a,b\n" + PORTAL_TEST + b",1\n")):
        response = client.post(url, {"file": SimpleUploadedFile(name, content), "kind": "item"})
        assert response.status_code == 400
        assert "マルウェア検査で脅威" in response.content.decode()
    assert not Evidence.objects.exists()
