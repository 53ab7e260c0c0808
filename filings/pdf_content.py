"""What a PDF evidence file may contain: active content is refused, never cleaned.

A PDF is read the way viewers read it: by qpdf (through pikepdf), which recovers what viewers
recover (a broken or missing cross-reference table, a missing ``%%EOF``, objects in compressed
object streams) and decodes every filter and predictor. The names of every object it finds are
checked decoded. A raw scan of the bytes outside streams is kept as a second reader, for objects
that a repairing viewer might find and the cross-reference table hides. A PDF qpdf cannot read at
all is refused: what cannot be checked is not accepted. Used by ``filings.uploads``.
"""

import logging
import re
import zlib
from io import BytesIO

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)


def too_expanded() -> ValidationError:
    return ValidationError(_("The file expands to an unreasonable size and was refused."))


PDF_ACTIVE = {
    "JavaScript": gettext_lazy("JavaScript"),
    "JS": gettext_lazy("JavaScript"),
    "OpenAction": gettext_lazy("actions that run automatically"),
    "AA": gettext_lazy("actions that run automatically"),
    "Launch": gettext_lazy("a command that starts a program"),
    "EmbeddedFile": gettext_lazy("embedded files"),
    "EmbeddedFiles": gettext_lazy("embedded files"),
    "EF": gettext_lazy("embedded files"),  # a file specification's embedded file: always present
    "FileAttachment": gettext_lazy("embedded files"),
    "RichMedia": gettext_lazy("embedded multimedia"),
    "XFA": gettext_lazy("a dynamic (XFA) form"),
}
PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n)")


def _pdf_name(raw: bytes) -> str:
    # "/J#61vaScript" is "/JavaScript" to every reader: compare names decoded.
    decoded = PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
    return decoded.decode("latin-1")


def _raw_names(text: bytes) -> set[str]:
    return {_pdf_name(match.group(1)) for match in PDF_NAME.finditer(text)}


def _raw_pdf_names(data: bytes) -> set[str]:
    """Names outside stream data (image bytes would match names by chance). On the way, Flate
    object streams are inflated with a cap, so that qpdf never expands a bomb: qpdf has no limit
    of its own."""
    names: set[str] = set()
    expanded = 0
    position = 0
    for match in PDF_STREAM.finditer(data):
        if match.start() < position:
            continue  # "stream" inside stream data already skipped
        outside = data[position : match.start()]
        names |= _raw_names(outside)
        dictionary = _raw_names(outside[outside.rfind(b"obj") :])
        end = data.find(b"endstream", match.end())
        position = len(data) if end < 0 else end + len(b"endstream")
        if "ObjStm" not in dictionary or not dictionary & {"FlateDecode", "Fl"}:
            continue
        body = data[match.end() : position if end < 0 else end]
        inflater = zlib.decompressobj()
        try:
            expanded += len(inflater.decompress(body, settings.EVIDENCE_MAX_EXPANDED_BYTES + 1))
        except zlib.error:
            continue  # qpdf decides whether the stream can be read
        if expanded > settings.EVIDENCE_MAX_EXPANDED_BYTES:
            raise too_expanded()
    return names | _raw_names(data[position:])


def _unreadable(error: Exception) -> ValidationError:
    logger.info("PDF evidence refused, unreadable: %s", error)  # qpdf's words, for operators
    return ValidationError(
        _(
            "The PDF could not be read as a PDF, so its content could not be checked and it was "
            "refused. Save it again as a PDF (for example with “Print to PDF”) and upload that "
            "file."
        )
    )


def _parsed_pdf_names(data: bytes) -> set[str]:
    """Every name (dictionary keys and values, arrays, stream dictionaries) of every object qpdf
    finds, object streams decoded; the "#xx" escapes are decoded by qpdf."""
    try:
        pdf = pikepdf.open(BytesIO(data), attempt_recovery=True, suppress_warnings=True)
    except pikepdf.PasswordError as error:
        raise ValidationError(
            _(
                "Password-protected PDF files are not accepted: their content cannot be "
                "checked. Save the PDF without a password."
            )
        ) from error
    except pikepdf.PdfError as error:
        raise _unreadable(error) from error
    names: set[str] = set()
    seen: set[tuple[int, int]] = set()
    with pdf:
        try:
            pending: list = [pdf.trailer, *pdf.objects]
            while pending:
                item = pending.pop()
                if getattr(item, "is_indirect", False):
                    if item.objgen in seen:  # references can cycle; each object once
                        continue
                    seen.add(item.objgen)
                if isinstance(item, pikepdf.Stream):
                    item = item.stream_dict
                if isinstance(item, pikepdf.Dictionary):
                    names.update(item.keys())
                    pending.extend(value for _key, value in item.items())
                elif isinstance(item, pikepdf.Array):
                    pending.extend(item)
                elif isinstance(item, pikepdf.Name):
                    names.add(str(item))
        except pikepdf.PdfError as error:  # an object qpdf found but cannot parse
            raise _unreadable(error) from error
    return {name.removeprefix("/") for name in names}


def check_pdf(data: bytes) -> None:
    raw = _raw_pdf_names(data)
    found = raw | _parsed_pdf_names(data)
    features = dict.fromkeys(str(text) for name, text in PDF_ACTIVE.items() if name in found)
    if features:
        raise ValidationError(
            _(
                "The PDF contains %(features)s and was refused. Save it again as a plain PDF "
                "without scripts, automatic actions or attached files (for example with "
                "“Print to PDF”)."
            )
            # Translators: separates the list of active content found in a PDF.
            % {"features": _(", ").join(features)}
        )
