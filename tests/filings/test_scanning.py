"""The malware scanner: the EICAR test double, and ClamdScanner against a fake clamd that speaks
the INSTREAM protocol over TCP and over a UNIX socket."""

import logging
import os
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.scanning import (
    EICAR,
    ClamdScanner,
    EicarTestScanner,
    NullScanner,
    ScannerUnavailable,
)
from filings.uploads import inspect_upload

UNAVAILABLE = "マルウェア検査を実施できなかった"
FOUND = "マルウェア検査で脅威"


class FakeClamd(socketserver.BaseRequestHandler):
    """Reads one INSTREAM command and its chunks; answers like clamd, or as ``reply`` says."""

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data

    def handle(self) -> None:
        server = self.server
        command = b""
        while not command.endswith(b"\0"):
            command += self._exactly(1)
        chunks = []
        while size := struct.unpack("!I", self._exactly(4))[0]:
            chunks.append(self._exactly(size))
        server.received.append((command, chunks))  # type: ignore[attr-defined]
        if server.reply is not None:  # type: ignore[attr-defined]
            reply = server.reply  # type: ignore[attr-defined]
        elif EICAR in b"".join(chunks):
            reply = b"stream: Win.Test.EICAR_HDB-1 FOUND"
        else:
            reply = b"stream: OK"
        self.request.sendall(reply + b"\0")


def serve(server: socketserver.BaseServer, reply: bytes | None):
    server.received = []  # type: ignore[attr-defined]
    server.reply = reply  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def clamd_tcp(request):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    yield serve(server, getattr(request, "param", None))
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_unix():
    # A short directory: UNIX socket paths are limited to about 100 bytes.
    directory = tempfile.mkdtemp(prefix="clamd", dir="/tmp")
    path = os.path.join(directory, "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    yield serve(server, None)
    server.shutdown()
    server.server_close()
    Path(path).unlink(missing_ok=True)
    os.rmdir(directory)


def use_clamd_tcp(settings, server) -> None:
    settings.EVIDENCE_SCANNER = "filings.scanning.ClamdScanner"
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = server.server_address


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile(name, content))
    return " ".join(error.value.messages)


def test_the_test_double_flags_eicar_anywhere_and_nothing_else():
    assert not EicarTestScanner().scan(b"prefix " + EICAR + b" suffix", "x.txt").clean
    assert EicarTestScanner().scan(b"ordinary text", "x.txt").clean
    assert NullScanner().scan(EICAR, "x.txt").clean


def test_with_the_test_double_an_eicar_upload_is_refused_and_a_clean_one_accepted(settings):
    settings.EVIDENCE_SCANNER = "filings.scanning.EicarTestScanner"
    assert FOUND in refusal("メモ.txt", EICAR)
    assert "Eicar-Test-Signature" in refusal("メモ.txt", EICAR)
    assert inspect_upload(SimpleUploadedFile("メモ.txt", b"clean")).size == 5


def test_clamd_over_tcp_receives_the_whole_file_in_chunks_and_its_verdict_counts(
    settings, clamd_tcp
):
    use_clamd_tcp(settings, clamd_tcp)
    content = os.urandom(3 * 64 * 1024 + 17)  # clamd reads chunks of the length announced
    result = ClamdScanner().scan(content, "構成図.png")
    assert result.clean
    command, chunks = clamd_tcp.received[0]
    assert command == b"zINSTREAM\0"
    assert len(chunks) == 4 and b"".join(chunks) == content
    assert FOUND in refusal("メモ.txt", b"log\n" + EICAR)
    assert "Win.Test.EICAR_HDB-1" in refusal("メモ.txt", EICAR)
    assert inspect_upload(SimpleUploadedFile("メモ.txt", b"clean")).size == 5


def test_clamd_over_a_unix_socket(settings, clamd_unix):
    settings.EVIDENCE_SCANNER = "filings.scanning.ClamdScanner"
    settings.CLAMD_SOCKET = clamd_unix.server_address
    assert FOUND in refusal("メモ.txt", EICAR)
    assert inspect_upload(SimpleUploadedFile("メモ.txt", b"clean")).size == 5
    assert len(clamd_unix.received) == 2


def test_an_unreachable_clamd_refuses_the_upload_and_logs_an_error(settings, caplog):
    with socket.socket() as placeholder:  # a port that was free a moment ago: nobody listens
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    settings.EVIDENCE_SCANNER = "filings.scanning.ClamdScanner"
    settings.CLAMD_SOCKET, settings.CLAMD_HOST, settings.CLAMD_PORT = "", "127.0.0.1", port
    with caplog.at_level(logging.ERROR, logger="filings.scanning"):
        assert UNAVAILABLE in refusal("メモ.txt", b"clean")
    assert "gave no verdict" in caplog.text


def test_a_missing_unix_socket_or_no_address_at_all_fails_closed(settings):
    settings.EVIDENCE_SCANNER = "filings.scanning.ClamdScanner"
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = "/nonexistent/clamd.sock", ""
    assert UNAVAILABLE in refusal("メモ.txt", b"clean")
    settings.CLAMD_SOCKET = ""
    assert UNAVAILABLE in refusal("メモ.txt", b"clean")


@pytest.mark.parametrize("clamd_tcp", [b"INSTREAM size limit exceeded. ERROR", b""], indirect=True)
def test_an_error_or_empty_reply_from_clamd_refuses_the_upload(settings, clamd_tcp):
    use_clamd_tcp(settings, clamd_tcp)
    assert UNAVAILABLE in refusal("メモ.txt", b"clean")


def test_a_clamd_that_never_answers_times_out_as_unavailable():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts the connection (backlog) but never reads or replies
        scanner = ClamdScanner(socket_path="", host="127.0.0.1", port=silent.getsockname()[1])
        scanner.timeout = 0.3
        with pytest.raises(ScannerUnavailable):
            scanner.scan(b"clean", "メモ.txt")


def test_a_misconfigured_scanner_path_refuses_instead_of_crashing(settings):
    settings.EVIDENCE_SCANNER = "filings.scanning.NoSuchScanner"
    assert UNAVAILABLE in refusal("メモ.txt", b"clean")


@pytest.mark.parametrize(
    ("environment", "scanner"),
    [
        ({}, "filings.scanning.NullScanner"),
        ({"CLAMD_SOCKET": "/run/clamav/clamd.ctl"}, "filings.scanning.ClamdScanner"),
        ({"CLAMD_HOST": "clamav"}, "filings.scanning.ClamdScanner"),
        (
            {"EVIDENCE_SCANNER": "filings.scanning.EicarTestScanner"},
            "filings.scanning.EicarTestScanner",
        ),
    ],
)
def test_the_environment_chooses_the_scanner(environment, scanner):
    keys = ("CLAMD_SOCKET", "CLAMD_HOST", "CLAMD_PORT", "EVIDENCE_SCANNER")
    env = {key: value for key, value in os.environ.items() if key not in keys}
    env |= {"DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "1", **environment}
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.EVIDENCE_SCANNER)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert shown.stdout.strip() == scanner
