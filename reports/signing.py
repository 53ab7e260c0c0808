"""PAdES signatures on reports (pyHanko), and their verification."""

import asyncio
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

SNAPSHOT_KEY = re.compile(r"snapshot-sha256:([0-9a-f]{64})")


def create_certificate(directory: Path, common_name: str = "Portal development signing") -> None:
    """A self-signed key pair for development; production configures its own by environment."""
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Aggregator cybersecurity portal"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _signer() -> signers.SimpleSigner:
    return signers.SimpleSigner.load(
        str(settings.REPORT_SIGNING_KEY), str(settings.REPORT_SIGNING_CERT)
    )


def _outside_event_loop(function, *args):
    """pyHanko's synchronous API runs its own event loop; it cannot start inside a running one
    (an async server, or a test process that drives a browser), so move it to a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def sign_pdf(pdf: bytes) -> bytes:
    return _outside_event_loop(_sign_pdf, pdf)


def _sign_pdf(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="PortalSignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Aggregator cybersecurity portal report",
    )
    return signers.sign_pdf(writer, metadata, signer=_signer()).getvalue()


def _trust_roots() -> list:
    data = Path(settings.REPORT_SIGNING_CERT).read_bytes()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return [asn1_x509.Certificate.load(data)]


@dataclass(frozen=True)
class Verification:
    signed: bool
    intact: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    snapshot_sha256: str = ""
    error: str = (
        ""  # the reader's own words, for operators (logs, verify_report); never shown on a page
    )

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def verify_pdf(data: bytes) -> Verification:
    """Is the portal's signature intact and trusted, and which snapshot does the report claim?"""
    return _outside_event_loop(_verify_pdf, data)


def _verify_pdf(data: bytes) -> Verification:
    try:
        reader = PdfFileReader(io.BytesIO(data))
        info = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else {}
        keywords = str(info.get("/Keywords", ""))
        match = SNAPSHOT_KEY.search(keywords)
        snapshot = match.group(1) if match else ""
        if not reader.embedded_signatures:
            return Verification(signed=False, snapshot_sha256=snapshot)
        signature = reader.embedded_signatures[0]
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
        )
    except Exception as error:
        return Verification(signed=False, error=str(error)[:300])
    return Verification(
        signed=True,
        intact=status.intact and status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        snapshot_sha256=snapshot,
    )
