"""The hostile PDF corpus: each file is built here, byte by byte, so that it names exactly what it
hides. The simpler evasions (escaped names, name trees, annotations, attachments, a flate object
stream, a damaged table) are in test_uploads.py; these are the ones that need a reader that
recovers what viewers recover and decodes every filter and predictor."""

import base64
import binascii
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.uploads import inspect_upload

ALERT = b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
OBJECTS = (
    b"<</Type/Catalog/Pages 2 0 R%s>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
)


def png(data: bytes, columns: int, kind: int = 1) -> bytes:
    """PNG predictor rows (Predictor 10-15): a tag byte per row, then Sub (1) or Up (2)
    differences, so that no name survives in the inflated bytes."""
    out, above = b"", bytes(columns)
    for start in range(0, len(data), columns):
        row = data[start : start + columns].ljust(columns, b" ")
        if kind == 1:
            coded = bytes([row[0]]) + bytes((row[i] - row[i - 1]) & 0xFF for i in range(1, columns))
        else:
            coded = bytes((row[i] - above[i]) & 0xFF for i in range(columns))
        out += bytes([kind]) + coded
        above = row
    return out


def tiff(data: bytes, columns: int) -> bytes:
    """TIFF predictor 2 (one 8-bit colour): each byte minus the one before it in the row."""
    out = b""
    for start in range(0, len(data), columns):
        row = data[start : start + columns].ljust(columns, b" ")
        out += bytes([row[0]]) + bytes((row[i] - row[i - 1]) & 0xFF for i in range(1, columns))
    return out


def run_length(data: bytes) -> bytes:
    out = b""
    for start in range(0, len(data), 128):
        chunk = data[start : start + 128]
        out += bytes([len(chunk) - 1]) + chunk
    return out + b"\x80"


COLUMNS = 8
# name -> (what the stream's dictionary says, how its bytes are made)
ENCODINGS = {
    "flate-png-sub": (
        b"/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns %d>>" % COLUMNS,
        lambda raw: zlib.compress(png(raw, COLUMNS, 1), 9),
    ),
    "flate-png-up": (
        b"/Filter/FlateDecode/DecodeParms<</Predictor 15/Columns %d>>" % COLUMNS,
        lambda raw: zlib.compress(png(raw, COLUMNS, 2), 9),
    ),
    "flate-tiff": (
        b"/Filter/FlateDecode/DecodeParms<</Predictor 2/Columns %d>>" % COLUMNS,
        lambda raw: zlib.compress(tiff(raw, COLUMNS), 9),
    ),
    "ascii85-then-flate": (
        b"/Filter[/ASCII85Decode/FlateDecode]",
        lambda raw: base64.a85encode(zlib.compress(raw)) + b"~>",
    ),
    "hex-then-flate-png": (
        b"/Filter[/AHx/Fl]/DecodeParms[null<</Predictor 12/Columns %d>>]" % COLUMNS,
        lambda raw: binascii.hexlify(zlib.compress(png(raw, COLUMNS))) + b">",
    ),
    "run-length": (b"/Filter/RunLengthDecode", run_length),
}


def object_stream_pdf(
    catalog: bytes, encoding: str = "flate-png-sub", eof: bool = False, xref_offset: int = 0
) -> bytes:
    """Catalog, pages and page in one object stream, found through a cross-reference stream,
    itself predicted; ``eof`` False leaves out the %%EOF marker, ``xref_offset`` misplaces the
    object stream's entry (a broken table that viewers rebuild)."""
    header, content = b"", b""
    for number, body in enumerate(OBJECTS, start=1):
        header += b"%d %d " % (number, len(content))
        content += (body % catalog if number == 1 else body) + b"\n"
    filters, encode = ENCODINGS[encoding]
    data = encode(header + content)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"4 0 obj\n<</Type/ObjStm/N 3/First %d%s/Length %d>>\nstream\n" % (
        len(header),
        filters,
        len(data),
    )
    out += data + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = b"\x00" + bytes(4) + b"\xff\xff"
    rows += b"".join(b"\x02" + (4).to_bytes(4) + index.to_bytes(2) for index in range(3))
    rows += b"\x01" + (stream_at + xref_offset).to_bytes(4) + bytes(2)
    rows += b"\x01" + xref_at.to_bytes(4) + bytes(2)
    rows = zlib.compress(png(rows, 7))
    out += (
        b"5 0 obj\n<</Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Filter/FlateDecode"
        b"/DecodeParms<</Predictor 12/Columns 7>>/Length %d>>\nstream\n" % len(rows)
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n" % xref_at
    return bytes(out) + (b"%%EOF\n" if eof else b"")


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("規程.pdf", content)


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(content))
    return " ".join(error.value.messages)


def test_the_red_team_pdf_an_open_action_in_a_predicted_object_stream_without_eof_is_refused():
    hostile = object_stream_pdf(ALERT)
    assert len(hostile) < 650 and b"%%EOF" not in hostile
    assert b"JavaScript" not in hostile  # nothing for a scan of the bytes to find
    stream = hostile[hostile.index(b"stream\n") + 7 : hostile.index(b"\nendstream")]
    assert b"JavaScript" not in zlib.decompress(stream)  # nor after inflating without the predictor
    assert "JavaScript" in refusal(hostile)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("eof", [True, False], ids=["eof", "no-eof"])
def test_active_content_is_found_through_every_filter_and_predictor(encoding, eof):
    message = refusal(object_stream_pdf(ALERT, encoding=encoding, eof=eof))
    assert "JavaScript" in message and "自動的に実行" in message


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_active_content_is_found_when_the_cross_reference_points_elsewhere(encoding):
    assert "JavaScript" in refusal(object_stream_pdf(ALERT, encoding=encoding, xref_offset=7))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_same_files_without_active_content_are_accepted(encoding):
    for eof in (True, False):
        plain = object_stream_pdf(b"", encoding=encoding, eof=eof)
        assert inspect_upload(upload(plain)).content_type == "application/pdf"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n...", id="a-header-and-nothing"),
        pytest.param(b"%PDF-1.4\n" + bytes(range(256)) * 4, id="binary-noise"),
        pytest.param(object_stream_pdf(ALERT)[:200], id="truncated-inside-the-object-stream"),
    ],
)
def test_a_pdf_that_cannot_be_read_is_refused_with_a_reason(content):
    assert "読み取れなかった" in refusal(content)
