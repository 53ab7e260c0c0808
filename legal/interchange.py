"""The legal-basis interchange format (YAML or JSON): validated on the way in, a dict on the way
out.

``export_legal_bases`` writes what ``import_legal_bases`` reads, so a round trip gives back an
identical document. Fields are listed once here.
"""

import json
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from legal.models import BasisSet, Regime, Verification

BASIS_FIELDS = (
    "code",
    "title",
    "title_en",
    "text",
    "text_en",
    "law",
    "article",
    "paragraph",
    "item",
    "applied_provision",
    "source_document",
    "verification",
    "verified_against",
)
MATTER_FIELDS = (
    "number",
    "label",
    "title",
    "title_en",
    "regime",
    "holds_self_assessment",
    "mapping_verified",
)


class LegalFormatError(ValueError):
    """The document cannot be imported; the message says where and why."""


def load_document(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise LegalFormatError(
            _("The file cannot be parsed: %(error)s") % {"error": error}
        ) from error
    if not isinstance(data, dict):
        raise LegalFormatError(_("The file does not contain a version of the legal bases."))
    return data


def dump_document(data: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _fail(where: str, message: str) -> LegalFormatError:
    return LegalFormatError(f"{where}: {message}")


def validate_basis(row, where: str) -> None:
    if not isinstance(row, dict):
        raise _fail(where, _("not a mapping."))
    for field in ("code", "title", "text", "verification"):
        if row.get(field) in (None, ""):
            raise _fail(where, _("the field '%(field)s' is missing.") % {"field": field})
    if row["verification"] not in Verification.values:
        raise _fail(where, _("unknown verification '%(v)s'.") % {"v": row["verification"]})
    if row["verification"] == Verification.STATUTE and not (
        row.get("law") and row.get("article") and row.get("verified_against")
    ):
        raise _fail(
            where,
            _("a basis verified against the statute names the law, the article and the text."),
        )
    if not row.get("law") and not row.get("source_document"):
        raise _fail(where, _("name the law and article, or the source document."))


def validate_document(data: dict) -> dict:
    """Check the whole document before anything is written; raise on the first problem."""
    if not data.get("version"):
        raise LegalFormatError(_("The field 'version' is missing."))
    bases = data.get("bases")
    if not isinstance(bases, list) or not bases:
        raise LegalFormatError(_("The document lists no legal bases."))
    seen: set[str] = set()
    for row in bases:
        where = _("Basis %(code)s") % {"code": (row or {}).get("code", "?")}
        validate_basis(row, where)
        if row["code"] in seen:
            raise _fail(where, _("the code appears twice."))
        seen.add(row["code"])
    numbers: set = set()
    for row in data.get("matters") or []:
        where = _("Notified matter %(n)s") % {"n": (row or {}).get("number", "?")}
        if not isinstance(row, dict) or not row.get("title") or not row.get("label"):
            raise _fail(where, _("the number, label and title are required."))
        if row.get("regime") not in Regime.values:
            raise _fail(where, _("unknown regime '%(r)s'.") % {"r": row.get("regime")})
        if row.get("number") in numbers:
            raise _fail(where, _("the number appears twice."))
        numbers.add(row.get("number"))
    return data


def basis_set_to_document(basis_set: BasisSet) -> dict:
    return {
        "version": basis_set.version,
        "notes": basis_set.notes,
        "bases": [
            {field: getattr(basis, field) for field in BASIS_FIELDS}
            for basis in basis_set.bases.order_by("order", "code")
        ],
        "matters": [
            {field: getattr(matter, field) for field in MATTER_FIELDS}
            for matter in basis_set.matters.order_by("number")
        ],
    }
