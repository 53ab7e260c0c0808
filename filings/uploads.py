"""What an evidence upload may be: checked by extension *and* by content.

Office files are zip containers: they are opened (never extracted) to refuse macros and archives
that would expand far beyond their size.
"""

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
OFFICE_MAIN_PART = {".xlsx": "xl/", ".docx": "word/"}
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 100


@dataclass(frozen=True)
class InspectedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def clean_file_name(name: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValidationError(_("The file name contains control characters. Rename the file."))
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise ValidationError(_("The file name must not contain folder names. Rename the file."))
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > 255:
        raise ValidationError(_("The file name must be between 1 and 255 characters."))
    return name


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _check_office(upload, extension: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename.lower() for entry in entries}
            expanded = sum(entry.file_size for entry in entries)
            compressed = sum(entry.compress_size for entry in entries) or 1
    except zipfile.BadZipFile as error:
        raise ValidationError(
            _("The file is not a valid %(type)s file.") % {"type": extension[1:].upper()}
        ) from error
    if "[content_types].xml" not in names or not any(
        name.startswith(OFFICE_MAIN_PART[extension]) for name in names
    ):
        raise ValidationError(
            _("The file is not a valid %(type)s file.") % {"type": extension[1:].upper()}
        )
    if any(name.endswith("vbaproject.bin") or "macro" in name for name in names):
        raise ValidationError(_("Files containing macros are not accepted. Save without macros."))
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or expanded > settings.EVIDENCE_MAX_EXPANDED_BYTES
        or expanded / compressed > MAX_COMPRESSION_RATIO
    ):
        raise ValidationError(_("The file expands to an unreasonable size and was refused."))


def _check_text(head: bytes) -> None:
    if b"\x00" in head:
        raise ValidationError(_("The file is not a text file."))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character may be cut at the end of the sample.
            if error.start >= len(head) - 3:
                return
            continue
        return
    raise ValidationError(_("Text files must be in UTF-8 or Shift_JIS (CP932)."))


SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def inspect_upload(upload) -> InspectedFile:
    """Validate an uploaded file; raise ValidationError with a message for the user."""
    name = clean_file_name(upload.name)
    extension = _extension(name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("This file type is not accepted. Accepted: PDF, PNG, JPEG, XLSX, DOCX, CSV, TXT.")
        )
    if upload.size > settings.EVIDENCE_MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(limit)d MB per file.")
            % {"limit": settings.EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8192)
    if extension in SIGNATURES:
        if not head.startswith(SIGNATURES[extension]):
            raise ValidationError(
                _("The content of the file does not match its extension (%(ext)s).")
                % {"ext": extension}
            )
    elif extension in OFFICE_MAIN_PART:
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationError(
                _("The content of the file does not match its extension (%(ext)s).")
                % {"ext": extension}
            )
        upload.seek(0)
        _check_office(upload, extension)
    else:
        _check_text(head)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedFile(
        name=name,
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        sha256=digest.hexdigest(),
    )
