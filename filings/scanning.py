"""Malware scanning of evidence, behind one small protocol so that the scanner is a setting.

``settings.EVIDENCE_SCANNER`` names the class (dotted path). ``ClamdScanner`` streams the file to
ClamAV's clamd with the INSTREAM protocol over a UNIX or TCP socket; ``NullScanner`` (the default
when no clamd is configured) accepts everything; ``EicarTestScanner`` flags the EICAR test string
so that tests exercise the refusal without ClamAV. A scanner that cannot give an answer raises
``ScannerUnavailable``: the caller refuses the upload (fail closed).
"""

import logging
import socket
import struct
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# The industry's harmless test file (https://www.eicar.org/download-anti-malware-testfile/).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # what the scanner found, for the log and the user


class ScannerUnavailable(Exception):
    """The scanner gave no verdict (unreachable, timed out, an error reply)."""


class Scanner(Protocol):
    def scan(self, data: bytes, name: str) -> ScanResult: ...


class NullScanner:
    """No scanning: the default when no clamd is configured."""

    def scan(self, data: bytes, name: str) -> ScanResult:
        return ScanResult(clean=True)


class EicarTestScanner:
    """A test double: flags the EICAR test string anywhere in the file, like a real scanner."""

    def scan(self, data: bytes, name: str) -> ScanResult:
        if EICAR in data:
            return ScanResult(clean=False, signature="Eicar-Test-Signature")
        return ScanResult(clean=True)


class ClamdScanner:
    """ClamAV's daemon over its INSTREAM protocol: length-prefixed chunks, then a zero length."""

    CHUNK_BYTES = 64 * 1024

    def __init__(
        self,
        socket_path: str | None = None,
        host: str | None = None,
        port: int | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.socket_path = settings.CLAMD_SOCKET if socket_path is None else socket_path
        self.host = settings.CLAMD_HOST if host is None else host
        self.port = settings.CLAMD_PORT if port is None else port
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        if self.socket_path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            try:
                connection.connect(self.socket_path)
            except OSError:
                connection.close()
                raise
            return connection
        if self.host:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        raise ScannerUnavailable("clamd is selected but neither CLAMD_SOCKET nor CLAMD_HOST is set")

    def scan(self, data: bytes, name: str) -> ScanResult:
        try:
            with self._connect() as connection:
                try:
                    connection.sendall(b"zINSTREAM\0")
                    for start in range(0, len(data), self.CHUNK_BYTES):
                        chunk = data[start : start + self.CHUNK_BYTES]
                        connection.sendall(struct.pack("!I", len(chunk)) + chunk)
                    connection.sendall(struct.pack("!I", 0))
                except OSError:
                    # clamd closes the connection when the stream exceeds its StreamMaxLength;
                    # its reply, if any, says why.
                    pass
                reply = self._reply(connection)
        except OSError as error:
            raise ScannerUnavailable(f"clamd unreachable: {error}") from error
        return self._verdict(reply)

    @staticmethod
    def _reply(connection: socket.socket) -> str:
        received = b""
        while not received.endswith(b"\0") and len(received) < 4096:
            part = connection.recv(4096)
            if not part:
                break
            received += part
        return received.rstrip(b"\0").decode("utf-8", "replace").strip()

    @staticmethod
    def _verdict(reply: str) -> ScanResult:
        # Replies: "stream: OK", "stream: <signature> FOUND", "<message> ERROR".
        if reply.endswith(" OK"):
            return ScanResult(clean=True)
        if reply.endswith(" FOUND"):
            signature = reply.removeprefix("stream:").removesuffix("FOUND").strip()
            return ScanResult(clean=False, signature=signature)
        raise ScannerUnavailable(f"clamd answered: {reply or '(nothing)'}")


def get_scanner() -> Scanner:
    try:
        scanner_class = import_string(settings.EVIDENCE_SCANNER)
    except ImportError as error:
        raise ScannerUnavailable(f"EVIDENCE_SCANNER cannot be imported: {error}") from error
    return scanner_class()


def scan_evidence(data: bytes, name: str) -> ScanResult:
    """Scan with the configured scanner; log what the operator must know."""
    try:
        result = get_scanner().scan(data, name)
    except ScannerUnavailable as error:
        logger.error("Evidence %r refused: the malware scanner gave no verdict: %s", name, error)
        raise
    if not result.clean:
        logger.warning("Evidence %r refused: malware scanner found %s", name, result.signature)
    return result


def check_scanner_configured(app_configs=None, **kwargs) -> list:
    """``check --deploy``: evidence from outside is scanned in production (scripts/serve fails on
    this warning)."""
    from django.core import checks

    if settings.EVIDENCE_SCANNER.rpartition(".")[2] in ("NullScanner", "EicarTestScanner"):
        return [
            checks.Warning(
                "Evidence uploads are not scanned for malware.",
                hint=(
                    "Set CLAMD_SOCKET (or CLAMD_HOST/CLAMD_PORT) to a running clamd, e.g. "
                    "START_CLAMD=1 bash scripts/serve; or EVIDENCE_SCANNER to another scanner."
                ),
                id="filings.W001",
            )
        ]
    return []
