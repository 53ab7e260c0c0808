"""Anchors of the audit chain: its head, signed with the report key, kept outside the audit table.

The hash chain shows edited, inserted and deleted rows, but not rows cut from its end together
with everything after them. An anchor is the head (event id and hash) at one moment, signed with
the report signing key (REPORT_SIGNING_KEY; verified against REPORT_SIGNING_CERT), and kept in
three places an attacker who cuts the log must all reach: the anchor table, one JSON file per
anchor in AUDIT_ANCHOR_DIR (backed up with the media), and the admins' mailboxes (the daily
anchor's e-mail lists every anchor since the last one). Anchors are made daily
(``manage.py anchor_audit_log``) and by every signed document (the head its PDF prints).
``check_anchors`` tells ``verify_audit_log`` which anchors the log no longer reaches.
"""

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditAnchor, AuditEvent, Role, User
from outbox.services import queue_mail


def _certificate() -> x509.Certificate:
    return x509.load_pem_x509_certificate(Path(settings.REPORT_SIGNING_CERT).read_bytes())


def _certificate_sha256() -> str:
    return _certificate().fingerprint(hashes.SHA256()).hex()


def _sign(data: bytes) -> str:
    key = serialization.load_pem_private_key(
        Path(settings.REPORT_SIGNING_KEY).read_bytes(), password=None
    )
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("The report signing key must be an RSA key.")
    return base64.b64encode(key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode()


def signature_valid(anchor: AuditAnchor) -> bool | None:
    """True or False; None when the anchor was signed with another certificate than today's."""
    certificate = _certificate()
    if anchor.certificate_sha256 != certificate.fingerprint(hashes.SHA256()).hex():
        return None
    public_key = certificate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    try:
        signature = base64.b64decode(anchor.signature, validate=True)
        public_key.verify(signature, anchor.signed_text(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def _anchor_file(anchor: AuditAnchor) -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR) / f"{anchor.created_at:%Y%m%dT%H%M%S%f}-{anchor.pk}.json"


def _as_json(anchor: AuditAnchor) -> dict:
    return {
        "created_at": anchor.created_at.isoformat(),
        "reason": anchor.reason,
        "document": anchor.document,
        "head_id": anchor.head_id,
        "head_hash": anchor.head_hash,
        "certificate_sha256": anchor.certificate_sha256,
        "signature": anchor.signature,
    }


def anchor_chain(*, reason: str, document: str = "", head: AuditEvent | None = None):
    """Sign the chain head (``head``, or the current one) and keep it in the table and as a file.
    Nothing to anchor in an empty log: None."""
    head = head or AuditEvent.objects.head()
    if head is None:
        return None
    anchor = AuditAnchor(
        created_at=timezone.now(),
        reason=reason,
        document=document[:200],
        head_id=head.pk,
        head_hash=head.hash,
        certificate_sha256=_certificate_sha256(),
    )
    anchor.signature = _sign(anchor.signed_text())
    anchor.save()
    path = _anchor_file(anchor)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_as_json(anchor), ensure_ascii=False, indent=1) + "\n")
    return anchor


@transaction.atomic
def anchor_daily() -> AuditAnchor | None:
    """The daily anchor, mailed to the admins with every anchor not mailed yet."""
    anchor = anchor_chain(reason=AuditAnchor.Reason.DAILY)
    pending = list(AuditAnchor.objects.select_for_update().filter(mailed_at=None).order_by("id"))
    if not pending:
        return anchor
    lines = [
        f"{item.created_at.isoformat()} {item.get_reason_display()} {item.document} "
        f"event {item.head_id} {item.head_hash} signature {item.signature}"
        for item in pending
    ]
    with translation.override("ja"):
        subject = _("[Portal] Audit log anchor: event %(id)d") % {"id": pending[-1].head_id}
        body = _(
            "The audit log's chain heads below were signed with the report key. Keep this "
            "message: if events are ever cut from the end of the log, these anchors show it "
            "(manage.py verify_audit_log --anchor ID:HASH)."
        )
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).values_list("email", flat=True)
    queue_mail(subject=subject, body=body + "\n\n" + "\n".join(lines) + "\n", recipients=admins)
    AuditAnchor.objects.filter(pk__in=[item.pk for item in pending]).update(
        mailed_at=timezone.now()
    )
    return anchor


def _stored_anchors() -> tuple[list[AuditAnchor], list[str]]:
    """The anchors in the table and in the files, each once (a cut may have removed either), and
    the names of files that are not anchors."""
    found = {(a.created_at, a.head_id, a.head_hash): a for a in AuditAnchor.objects.all()}
    unreadable = []
    directory = Path(settings.AUDIT_ANCHOR_DIR)
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else ():
        try:
            data = json.loads(path.read_text())
            data["created_at"] = datetime.fromisoformat(data["created_at"])
            anchor = AuditAnchor(**data)
        except (ValueError, TypeError, KeyError):
            unreadable.append(path.name)
            continue
        found.setdefault((anchor.created_at, anchor.head_id, anchor.head_hash), anchor)
    return sorted(found.values(), key=lambda a: (a.head_id, a.created_at)), unreadable


@dataclass(frozen=True)
class AnchorCheck:
    checked: int
    problems: list[str]
    newest: AuditAnchor | None


def check_anchors() -> AnchorCheck:
    """Every stored anchor against the log (whose chain the caller found intact): signed by us,
    and its head still in the log with the same hash. The first missing head names the cut."""
    anchors, unreadable = _stored_anchors()
    problems = [f"{name}: not a readable anchor file" for name in unreadable]
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for anchor in anchors:
        where = f"anchor {anchor.created_at:%Y-%m-%d %H:%M:%S} ({anchor.reason} {anchor.document})"
        valid = signature_valid(anchor)
        if valid is False:
            problems.append(f"{where}: its signature does not verify (altered or forged)")
            continue
        row = AuditEvent.objects.filter(pk=anchor.head_id).values_list("hash", flat=True).first()
        if row is None and anchor.head_id > last:
            problems.append(
                f"CUT: {where} says the log reached event id {anchor.head_id}; it now ends at "
                f"id {last}: events {last + 1}..{anchor.head_id} (at least) were removed"
            )
        elif row != anchor.head_hash:
            problems.append(f"{where}: event id {anchor.head_id} no longer has the anchored hash")
    return AnchorCheck(len(anchors), problems, anchors[-1] if anchors else None)
