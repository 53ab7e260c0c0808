"""What an evidence upload may be: checked by extension *and* by content.

Active content is refused, never cleaned: a cleaned file would no longer be what the aggregator
filed. PDFs are checked in ``filings.pdf_content``. Office files are zip containers: every member
is decompressed as a stream (never extracted) to measure its real size, and the parts that can
fetch or run something are parsed.
Finally the configured malware scanner sees the file (``filings.scanning``).
"""

import copy
import hashlib
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import cast
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from filings.formulas import field_keyword, first_formula_line, formula_function
from filings.pdf_content import check_pdf, too_expanded
from filings.scanning import ScannerUnavailable, scan_evidence

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
MAX_COMPRESSION_RATIO = 100  # decompressed bytes per byte of the uploaded file
CHUNK_BYTES = 64 * 1024


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


# --- Office (zip) ---------------------------------------------------------------------------------
# Elements that matter, by local name: Transitional and Strict files name them in different
# namespaces, and Word and Excel open both.
WATCHED = frozenset(
    {
        *("Relationship", "ddeLink", "oleLink", "fldSimple", "fldChar", "instrText"),
        *("f", "formula", "formula1", "formula2", "definedName"),  # Excel's formulas
    }
)
FORMULA_ELEMENTS = frozenset({"f", "formula", "formula1", "formula2", "definedName"})
OLE_PART = re.compile(r"(^|/)(embeddings|activex)/|(^|/)oleobject[^/]*\.bin$")


def _dde_refusal() -> ValidationError:
    return ValidationError(
        _(
            "Office files with DDE fields or links are not accepted: they can run commands when "
            "the file is opened. Remove them and save again."
        )
    )


def _fetching_refusal(name: str) -> ValidationError:
    if name == "DDE":
        return _dde_refusal()
    return ValidationError(
        _(
            "Office files with fields or formulas that fetch content from outside the file or "
            "run something when it is opened (%(name)s) are not accepted. Remove them and save "
            "again."
        )
        % {"name": name}
    )


class _XmlPartCheck:
    """Checks one XML part while it streams, keeping only the open elements in memory."""

    def __init__(self) -> None:
        # Office never declares a DTD: one is refused before any entity in it is read.
        defused = DefusedXMLParser(target=ElementTree.TreeBuilder(), forbid_dtd=True)
        self.parser = ElementTree.XMLPullParser(events=("start", "end"), _parser=defused)
        self.open: list[ElementTree.Element] = []
        self.fields: list[str] = []  # instruction text of the Word fields being read (nested)
        self.local_names: dict[str, str] = {}  # by tag: this loop is the hot one for large parts

    def feed(self, data: bytes) -> None:
        self.parser.feed(data)
        self._read_events()

    def close(self) -> None:
        self.parser.close()
        self._read_events()
        for instruction in self.fields:
            if keyword := field_keyword(instruction):
                raise _fetching_refusal(keyword)

    def _read_events(self) -> None:
        # Only start and end events were asked for: each comes with its element.
        events = cast("Iterator[tuple[str, ElementTree.Element]]", self.parser.read_events())
        for event, element in events:
            if event == "start":
                self.open.append(element)
                continue
            local = self.local_names.get(element.tag)
            if local is None:
                local = self.local_names[element.tag] = element.tag.rpartition("}")[2]
            if local in WATCHED:
                self._check(local, element)
            self.open.pop()
            if self.open:
                del self.open[-1][-1]  # the element that just ended is its parent's last child

    def _check(self, local: str, element: ElementTree.Element) -> None:
        namespace = element.tag[: -len(local)]  # Word's attributes share their element's
        if local == "Relationship" and element.get("TargetMode", "").lower() == "external":
            kind = element.get("Type", "").rsplit("/", 1)[-1]
            if kind != "hyperlink":  # a link the reader clicks; everything else loads by itself
                raise ValidationError(
                    _(
                        "Office files that load a template, object or data from outside the "
                        "file (%(kind)s) are not accepted. Remove the reference and save again."
                    )
                    % {"kind": kind or "?"}
                )
        elif local == "ddeLink":
            raise _dde_refusal()
        elif local == "oleLink":
            raise _ole_refusal()
        elif local == "fldSimple":
            if keyword := field_keyword(element.get(namespace + "instr", "")):
                raise _fetching_refusal(keyword)
        elif local == "fldChar":
            char_type = element.get(namespace + "fldCharType")
            if char_type == "begin":
                self.fields.append("")
            elif (
                char_type == "end" and self.fields and (keyword := field_keyword(self.fields.pop()))
            ):
                raise _fetching_refusal(keyword)
        elif local in FORMULA_ELEMENTS:
            if function := formula_function(element.text or ""):
                raise _fetching_refusal(function)
        elif local == "instrText":
            if not self.fields:
                self.fields.append("")
            self.fields[-1] += element.text or ""


def _ole_refusal() -> ValidationError:
    return ValidationError(
        _(
            "Office files with embedded objects (OLE objects or ActiveX controls) are not "
            "accepted. Remove the objects or upload them as separate files."
        )
    )


def _needs_parsing(name: str) -> bool:
    return (
        name.endswith(".rels")
        or (name.startswith("word/") and name.endswith(".xml"))
        or (name.startswith("xl/") and name.endswith(".xml"))  # formulas: sheets, names
    )


def _stream_members(archive: zipfile.ZipFile, upload_size: int) -> None:
    """Decompress every member for real: the sizes in the headers are the attacker's to choose."""
    budget = min(settings.EVIDENCE_MAX_EXPANDED_BYTES, max(upload_size, 1) * MAX_COMPRESSION_RATIO)
    total = 0
    for info in archive.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise zipfile.BadZipFile(f"compression {info.compress_type}")
        # zipfile stops at the declared size; declare more than we accept to see the real size
        # (more than one read past the budget, so that it never stops first).
        unbounded = copy.copy(info)
        unbounded.file_size = budget + CHUNK_BYTES + 1
        check = _XmlPartCheck() if _needs_parsing(info.filename.lower()) else None
        member = 0
        with archive.open(unbounded) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                member += len(chunk)
                total += len(chunk)
                if total > budget:
                    raise too_expanded()
                if check:
                    check.feed(chunk)
        if member != info.file_size:
            raise zipfile.BadZipFile(f"{info.filename}: size in header differs from content")
        if check:
            check.close()


# What else zipfile raises on a damaged archive: a negative seek or an undecodable name from a
# corrupt directory (ValueError), an encrypted member (RuntimeError), data cut short (EOFError).
BROKEN_ZIP = (ValueError, RuntimeError, EOFError)


def _check_office(data: bytes, extension: str) -> None:
    invalid = _("The file is not a valid %(type)s file.") % {"type": extension[1:].upper()}
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename.lower() for entry in entries}
            if len(names) < len(entries):
                raise ValidationError(invalid)  # two parts of one name: which one opens?
            if "[content_types].xml" not in names or not any(
                name.startswith(OFFICE_MAIN_PART[extension]) for name in names
            ):
                raise ValidationError(invalid)
            if any(name.endswith("vbaproject.bin") or "macro" in name for name in names):
                raise ValidationError(
                    _("Files containing macros are not accepted. Save without macros.")
                )
            if any(OLE_PART.search(name) for name in names):
                raise _ole_refusal()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise too_expanded()
            _stream_members(archive, len(data))
    except DefusedXmlException as error:
        raise ValidationError(
            _(
                "The file declares XML entities or a document type, which Office files never "
                "need, and was refused. Save it again from Excel or Word."
            )
        ) from error
    except (zipfile.BadZipFile, zlib.error, ElementTree.ParseError, *BROKEN_ZIP) as error:
        raise ValidationError(invalid) from error


# --- text, signatures, the whole inspection -------------------------------------------------------
def _check_text(head: bytes) -> str:
    """The encoding the text is in."""
    if b"\x00" in head:
        raise ValidationError(_("The file is not a text file."))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character may be cut at the end of the sample.
            if error.start >= len(head) - 3:
                return encoding
            continue
        return encoding
    raise ValidationError(_("Text files must be in UTF-8 or Shift_JIS (CP932)."))


def _check_csv(data: bytes, encoding: str) -> None:
    """Spreadsheet programs run a cell that starts with "=" (or "@", or a sign before a name)."""
    line = first_formula_line(data.decode(encoding, errors="replace"))
    if line is not None:
        raise ValidationError(
            _(
                "CSV files with cells that spreadsheet programs run as formulas (starting with "
                "=, @, + or -) are not accepted. Line %(line)d has one: remove it or put a ' "
                "before it, and save again."
            )
            % {"line": line}
        )


def _check_malware(data: bytes, name: str) -> None:
    try:
        result = scan_evidence(data, name)
    except ScannerUnavailable as error:
        raise ValidationError(
            _(
                "The file could not be checked for malware, so it was not accepted. Try again "
                "later; if this continues, contact the portal administrator."
            )
        ) from error
    if not result.clean:
        raise ValidationError(
            _(
                "The malware scanner found a threat (%(signature)s) and the file was refused. "
                "Do not use this file; contact your system administrator."
            )
            % {"signature": result.signature}
        )


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
    data = upload.read()  # at most EVIDENCE_MAX_FILE_BYTES, checked above
    upload.seek(0)
    head = data[:8192]
    if extension in SIGNATURES:
        if not head.startswith(SIGNATURES[extension]):
            raise ValidationError(
                _("The content of the file does not match its extension (%(ext)s).")
                % {"ext": extension}
            )
        if extension == ".pdf":
            check_pdf(data)
    elif extension in OFFICE_MAIN_PART:
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationError(
                _("The content of the file does not match its extension (%(ext)s).")
                % {"ext": extension}
            )
        _check_office(data, extension)
    else:
        encoding = _check_text(head)
        if extension == ".csv":
            _check_csv(data, encoding)
    _check_malware(data, name)
    upload.seek(0)
    return InspectedFile(
        name=name,
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        sha256=hashlib.sha256(data).hexdigest(),
    )
