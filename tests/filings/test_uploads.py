import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.uploads import inspect_upload


def office(main_part: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{main_part}document.xml", "<doc/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("規程.pdf", b"%PDF-1.7\n...", "application/pdf"),
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
