"""What a PDF evidence file may contain: active content is refused, never cleaned.

A PDF is read twice, by pypdf (every object, compressed object streams included) and by a raw
scan of the bytes outside streams (objects pypdf cannot reach in a damaged file still open in
viewers). Used by ``filings.uploads``.
"""

import re
import zlib
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject


def too_expanded() -> ValidationError:
    return ValidationError(_("The file expands to an unreasonable size and was refused."))


# --- PDF ------------------------------------------------------------------------------------------
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


def _raw_pdf_names(data: bytes) -> tuple[set[str], bool]:
    """Names outside stream data and inside Flate object streams; and whether an object stream
    could not be decoded. Stream data is skipped: image bytes would match names by chance."""
    names: set[str] = set()
    undecoded = False
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
        if "ObjStm" not in dictionary:
            continue
        body = data[match.end() : position if end < 0 else end]
        if not dictionary & {"Filter", "FlateDecode", "Fl"}:
            names |= _raw_names(body)
            continue
        try:
            inflater = zlib.decompressobj()
            content = inflater.decompress(body, settings.EVIDENCE_MAX_EXPANDED_BYTES + 1)
        except zlib.error:
            undecoded = True
            continue
        expanded += len(content)
        if expanded > settings.EVIDENCE_MAX_EXPANDED_BYTES:
            raise too_expanded()
        names |= _raw_names(content)
    names |= _raw_names(data[position:])
    return names, undecoded


def _parsed_pdf_names(data: bytes) -> set[str] | None:
    """Every name in every object pypdf finds (object streams decoded), or None if it cannot
    parse the file."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _(
                    "Password-protected PDF files are not accepted: their content cannot be "
                    "checked. Save the PDF without a password."
                )
            )
        pending: list = [reader.trailer]
        for generation, table in reader.xref.items():
            for idnum in table:
                pending.append(reader.get_object(IndirectObject(idnum, generation, reader)))
        pending.extend(reader.get_object(idnum) for idnum in reader.xref_objStm)
    except ValidationError:
        raise
    except Exception:  # any parser failure: the raw scan above still stands
        return None
    names: set[str] = set()
    while pending:  # direct objects cannot cycle; indirect ones are all in the list already
        item = pending.pop()
        if isinstance(item, DictionaryObject):  # values() and iteration do not resolve references
            names.update(item.keys())
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
        elif isinstance(item, NameObject):
            names.add(item)
    return {name[1:] for name in names}  # pypdf has decoded the "#xx" escapes


def check_pdf(data: bytes) -> None:
    raw, undecoded = _raw_pdf_names(data)
    parsed = _parsed_pdf_names(data)
    found = raw | (parsed or set())
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
    if parsed is None and undecoded:
        raise ValidationError(
            _("The PDF has compressed parts that could not be checked and was refused.")
        )
