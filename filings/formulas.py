"""Formulas and fields that run or fetch something when an evidence file is opened.

Office keeps the instructions of Word fields and the formulas of Excel cells, names, conditional
formats and validations as text; spreadsheet programs also read a CSV cell that starts with ``=``
(and friends) as a formula. These functions name what such text would do; ``filings.uploads``
refuses the file. Pure functions: no Django, no I/O.
"""

import csv
import io
import re

DDE_FIELD = re.compile(r"\bDDE(?:AUTO)?\b", re.IGNORECASE)
QUOTE_CODES = re.compile(r"^\s*QUOTE((?:\s+\d{1,7})+)\s*$", re.IGNORECASE)
# Word fields that load content from outside the document or run something when updated.
FETCHING_FIELDS = frozenset(
    {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DATABASE", "MACROBUTTON"}
)
FIELD_KEYWORD = re.compile(r"^\s*([A-Za-z]+)")
# Excel functions that fetch from the network, call code or a DDE/RTD server, or open a link.
FETCHING_FUNCTIONS = (
    "WEBSERVICE",
    "FILTERXML",
    "HYPERLINK",
    "IMAGE",
    "RTD",
    "CALL",
    "REGISTER.ID",
    "REGISTER",
    "EXEC",
    "STOCKHISTORY",
)
FUNCTION_CALL = re.compile(
    r"(?<![\w.])(?:_xlfn\.|_xlws\.)?("
    + "|".join(re.escape(f) for f in FETCHING_FUNCTIONS)
    + r")\s*\(",
    re.IGNORECASE,
)
STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
# A DDE reference in a formula: server|topic!item, e.g. cmd|' /c calc'!A1.
DDE_REFERENCE = re.compile(r"[\w.]+\s*\|")


def _quoted_characters(instruction: str) -> str:
    # A QUOTE field of character codes is the known way to spell a keyword without writing it.
    codes = QUOTE_CODES.match(instruction)
    if not codes:
        return ""
    return "".join(chr(n) for n in map(int, codes.group(1).split()) if n < 0x110000)


def field_keyword(instruction: str) -> str | None:
    """The keyword of a Word field instruction that runs or fetches, or None."""
    spelt = _quoted_characters(instruction)
    if DDE_FIELD.search(instruction + " " + spelt):
        return "DDE"
    for text in (instruction, spelt):
        keyword = FIELD_KEYWORD.match(text)
        if keyword and keyword.group(1).upper() in FETCHING_FIELDS:
            return keyword.group(1).upper()
    return None


def formula_function(formula: str) -> str | None:
    """The fetching or executing function a formula calls (or "DDE" for a DDE reference)."""
    code = STRING_LITERAL.sub('""', formula)  # a URL or a "|" inside a string is only text
    call = FUNCTION_CALL.search(code)
    if call:
        return call.group(1).upper()
    if DDE_REFERENCE.search(code):
        return "DDE"
    return None


FORMULA_START = ("=", "@")
SIGN_START = ("+", "-")
# After a sign, a formula needs a name, a call, a reference or an operator that is not a number's.
FORMULA_AFTER_SIGN = re.compile(r"[A-Za-z(|!=@]")


def is_formula_cell(value: str) -> bool:
    """Would a spreadsheet program read this CSV cell as a formula that can do more than
    arithmetic? ("-", "-3", "+81-3-1234-5678" stay text or numbers.)"""
    value = value.lstrip("\t\r\n")
    if value.startswith(FORMULA_START):
        return True
    return value.startswith(SIGN_START) and bool(FORMULA_AFTER_SIGN.search(value))


def first_formula_line(text: str) -> int | None:
    """The first line of a CSV text with a formula cell, whatever the separator (comma,
    semicolon or tab, as spreadsheet programs guess it), or None."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            for cell in row:
                if any(is_formula_cell(part) for part in re.split(r"[;\t]", cell)):
                    return reader.line_num
    except csv.Error:  # not CSV as the module reads it (a very long field): check line by line
        for number, line in enumerate(text.splitlines(), start=1):
            if any(is_formula_cell(part.strip('"')) for part in re.split(r"[,;\t]", line)):
                return number
    return None
