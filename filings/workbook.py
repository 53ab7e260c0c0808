"""The checklist of a draft as an Excel workbook, and the answers read back from it.

The workbook carries each item's version and digest (hidden columns), so that a re-upload follows
the checklist's concurrency rule: an item a colleague changed since the download is a conflict.
Reading is all or nothing: every row is checked with the checklist's own form, and nothing is
saved unless every row is valid.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from defusedxml import DefusedXmlException
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from checklists.models import section_order
from filings.forms import AnswerForm
from filings.models import Answer, Filing
from filings.services import AnswerEdit

# (key, header); the headers are written in the page's language and read in either.
COLUMNS = (
    ("section", gettext_noop("Section")),
    ("code", gettext_noop("Item code")),
    ("title", gettext_noop("Item")),
    ("summary", gettext_noop("Summary (the portal's, not the guideline text)")),
    ("status", gettext_noop("Status")),
    ("implementation", gettext_noop("How it is implemented")),
    ("justification", gettext_noop("Justification for not applicable")),
    ("target_date", gettext_noop("Target date")),
    ("version", "version"),
    ("digest", "digest"),
)
WIDTHS = {"section": 18, "code": 10, "title": 36, "summary": 50, "status": 14}
TEXT_WIDTH, MAX_ROWS = 40, 5000


@dataclass
class RowError:
    row: int  # as Excel numbers it
    column: str
    message: str


@dataclass
class ReadResult:
    edits: list[AnswerEdit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)  # item id -> code, for the messages


def _answers(filing: Filing):
    return filing.answers.select_related("item__category").order_by(*section_order("item__"))


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Answer.Status.choices}


def _as_text(value: str) -> str:
    # XML cannot hold most control characters; openpyxl refuses them rather than write them.
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def checklist_workbook(filing: Filing) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = _("Checklist")[:31]
    sheet.append(
        [_(header) if key not in ("version", "digest") else key for key, header in COLUMNS]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = _status_labels()
    for answer in _answers(filing):
        sheet.append(
            [
                str(answer.item.section.name),
                answer.item.code,
                answer.item.title,
                answer.item.requirement,
                labels.get(answer.status, ""),
                _as_text(answer.implementation),
                _as_text(answer.justification),
                answer.target_date,
                answer.version,
                answer.content_digest(),
            ]
        )
    last = sheet.max_row
    column = {key: chr(ord("A") + n) for n, (key, _header) in enumerate(COLUMNS)}
    choices = DataValidation(
        type="list", formula1='"' + ",".join(labels.values()) + '"', allow_blank=True
    )
    choices.error = _("Choose a status from the list.")
    sheet.add_data_validation(choices)
    choices.add(f"{column['status']}2:{column['status']}{last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="1")
    dates.error = _("Enter a date.")
    sheet.add_data_validation(dates)
    dates.add(f"{column['target_date']}2:{column['target_date']}{last}")
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].number_format = "yyyy-mm-dd"
    for key, letter in column.items():
        sheet.column_dimensions[letter].width = WIDTHS.get(key, TEXT_WIDTH)
        sheet.column_dimensions[letter].hidden = key in ("version", "digest")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.data_type == "f":  # openpyxl took text starting with "=" for a formula
                cell.data_type = "s"
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _status_values() -> dict[str, str]:
    """Every accepted spelling of a status (its label in either language, or its value)."""
    accepted = {value: value for value in Answer.Status.values}
    for language in ("en", "ja"):
        with translation.override(language):
            accepted.update({str(label): value for value, label in Answer.Status.choices})
    return accepted


def _header_keys(header_row) -> dict[str, int] | None:
    """Column positions by key, from the header in Japanese or English; None if one is missing."""
    names = {}
    for key, header in COLUMNS:
        with translation.override("ja"):
            japanese = _(header)
        names[key] = {header, japanese, key}
    found = {}
    for index, cell in enumerate(header_row):
        text = _cell_text(cell)
        for key, accepted in names.items():
            if text in accepted and key not in found:
                found[key] = index
    return found if len(found) == len(COLUMNS) else None


def _sheet_rows(data: bytes) -> list[tuple]:
    """Every row of the first sheet, parsed now: openpyxl reads a sheet lazily, so a damaged one
    would otherwise fail later, outside any guard. Entities are refused by defusedxml, which
    openpyxl uses whenever it is installed."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return list(book.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    finally:
        book.close()


def _unreadable_message(error: BaseException) -> str:
    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps what its XML parser raised
        if isinstance(cause, DefusedXmlException):
            return _(
                "The workbook declares XML entities or a document type, which Excel never "
                "writes, and was refused. Download the workbook again."
            )
        cause = cause.__cause__ or cause.__context__
    return _("The file could not be read as an Excel workbook.")


def read_checklist_workbook(filing: Filing, data: bytes) -> ReadResult:
    """Every row checked; edits only for the rows that change something."""
    result = ReadResult()
    try:
        rows = iter(_sheet_rows(data))
    except Exception as error:  # any unreadable workbook, whatever part is damaged
        result.errors.append(RowError(0, "", _unreadable_message(error)))
        return result
    keys = _header_keys(next(rows, ()))
    if keys is None:
        result.errors.append(
            RowError(1, "", _("The header row was changed. Download the workbook again."))
        )
        return result
    answers = {answer.item.code: answer for answer in _answers(filing)}
    statuses = _status_values()
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        cells = {
            key: _cell_text(row[index]) if index < len(row) else "" for key, index in keys.items()
        }
        if not any(cells.values()):
            continue
        _read_row(result, number, cells, answers, statuses, seen)
    missing = sorted(set(answers) - seen)
    if missing:
        message = _("Rows are missing for %(codes)s.") % {"codes": "、".join(missing[:10])}
        result.errors.append(RowError(0, "", message))
    return result


def _read_row(result: ReadResult, number: int, cells: dict, answers: dict, statuses, seen) -> None:
    code = cells["code"]
    answer = answers.get(code)
    headers = {key: _(header) for key, header in COLUMNS}
    if answer is None or code in seen:
        message = _("Unknown or repeated item code “%(code)s”.") % {"code": code}
        result.errors.append(RowError(number, headers["code"], message))
        return
    seen.add(code)
    status = statuses.get(cells["status"], None if cells["status"] else "")
    if status is None:
        message = _("Choose a status from the list.")
        result.errors.append(RowError(number, headers["status"], message))
        return
    form = AnswerForm(
        {
            f"item-{answer.item_id}-{name}": value
            for name, value in {
                **{key: cells[key] for key in ("implementation", "justification", "target_date")},
                "status": status,
                "version": cells["version"],
                "digest": cells["digest"],
            }.items()
        },
        answer=answer,
    )
    if not form.is_valid():
        for name, messages in form.errors.items():
            column = headers.get(name, "")
            result.errors.extend(RowError(number, column, str(m)) for m in messages)
        return
    result.codes[answer.item_id] = code
    edit = form.to_edit()
    if Answer(**edit.values).content_digest() != answer.content_digest():
        result.edits.append(edit)
