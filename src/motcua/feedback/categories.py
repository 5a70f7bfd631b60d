"""Petition categories as data: reading `data/categories.json`, checking Open311 attribute
definitions, and reading a petition's attribute answers against them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError, ErrorSpec

DATA = Path(__file__).parent / "data" / "categories.json"
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")
ATTRIBUTE_VALUE_MAX = 1000
# The national portal scores petitions (PAKN) against 15 working days to handle them.
HANDLING_DAYS = 15

ERR_ATTRIBUTE_REQUIRED = (
    "attribute_required",
    _("The required attribute “{name}” (attribute[{code}]) is missing."),
)
ERR_ATTRIBUTE_INVALID = (
    "attribute_invalid",
    _("The value of “{name}” (attribute[{code}]) is not valid: {why}."),
)
ERR_ATTRIBUTE_UNKNOWN = ("attribute_unknown", _("This service has no attribute “{code}”."))


def read_category_data(path: Path = DATA) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check_attribute_definitions(definitions: Any) -> None:
    """Raise ValidationError unless `definitions` is a list of valid Open311 attributes."""
    if not isinstance(definitions, list):
        raise ValidationError("Attributes must be a list.")
    seen: set[str] = set()
    for item in definitions:
        if not isinstance(item, dict) or not str(item.get("code", "")).strip():
            raise ValidationError("Each attribute needs a code.")
        code = item["code"]
        if code in seen:
            raise ValidationError(f"Attribute code {code} appears twice.")
        seen.add(code)
        if item.get("datatype") not in DATATYPES:
            raise ValidationError(f"Attribute {code}: datatype must be one of {DATATYPES}.")
        if item["datatype"] in LIST_TYPES and not item.get("values"):
            raise ValidationError(f"Attribute {code}: a list type needs values.")
        for value in item.get("values", []):
            if not isinstance(value, dict) or "key" not in value:
                raise ValidationError(f"Attribute {code}: each value needs a key.")


def load_categories(category_model: Any, path: Path = DATA) -> int:
    """Create or update the categories from the data file; returns how many there are.

    Takes the model class so the data migration can pass its historical model.
    """
    data = read_category_data(path)
    default_days = data.get("deadlines", {}).get("handle", HANDLING_DAYS)
    groups = data.get("groups", {})
    for order, entry in enumerate(data["categories"], start=1):
        attributes = entry.get("attributes", [])
        check_attribute_definitions(attributes)
        group = groups.get(entry.get("group", ""), {})
        category_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name_vi": entry["name"]["vi"],
                "name_en": entry["name"].get("en", ""),
                "description_vi": entry.get("description", {}).get("vi", ""),
                "description_en": entry.get("description", {}).get("en", ""),
                "group_vi": group.get("vi", entry.get("group", "")),
                "group_en": group.get("en", ""),
                "keywords": entry.get("keywords", ""),
                "responsible": entry["responsible"],
                "fallback_agency_code": entry.get("fallback_agency", ""),
                "working_days": entry.get("working_days", default_days),
                "attributes": attributes,
                "order": order,
            },
        )
    return category_model.objects.count()


def localized(value: Any, english: bool) -> str:
    """A {"vi": …, "en": …} label in the wanted language; plain strings as they are."""
    if isinstance(value, dict):
        return str((value.get("en") if english else None) or value.get("vi") or "")
    return str(value or "")


def attribute_labels(
    definitions: list[dict[str, Any]], answers: list[tuple[str, str]], *, english: bool
) -> list[tuple[str, str]]:
    """(question, answer) pairs for people: the category's wording instead of the attribute
    and value keys (`pollution_kind`, `noise`); a key no longer defined shows as stored."""
    by_code = {d.get("code"): d for d in definitions if isinstance(d, dict)}
    labelled = []
    for code, value in answers:
        definition = by_code.get(code, {})
        names = {
            v.get("key"): localized(v.get("name"), english) for v in definition.get("values", [])
        }
        labelled.append(
            (
                localized(definition.get("description"), english) or code,
                names.get(value) or value,
            )
        )
    return labelled


def _attribute_error(spec: ErrorSpec, *, code: str, **values: Any) -> ApiError:
    # Open311 clients name attributes `attribute[code]`: the field error says which one.
    return ApiError(*spec, field_name=f"attribute[{code}]", code=code, **values)


def _check_value(definition: dict[str, Any], raw: str) -> str:
    datatype = definition["datatype"]
    value = raw.strip()
    code = definition["code"]
    name = localized(definition.get("description"), english=False) or code
    why: Promise | None = None
    if len(value) > ATTRIBUTE_VALUE_MAX:
        why = format_lazy(_("longer than {limit}"), limit=ATTRIBUTE_VALUE_MAX)
    elif datatype == "number":
        try:
            float(value)
        except ValueError:
            why = _("a number is expected")
    elif datatype == "datetime":
        parsed = None
        try:
            parsed = parse_datetime(value) or dt.date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None:
            why = _("an ISO 8601 datetime is expected")
    elif datatype in LIST_TYPES:
        keys = {str(v["key"]) for v in definition.get("values", [])}
        if value not in keys:
            why = format_lazy(_("one of {keys}"), keys=", ".join(sorted(keys)))
    if why is not None:
        raise _attribute_error(ERR_ATTRIBUTE_INVALID, name=name, code=code, why=why)
    return value


def clean_attribute_values(
    definitions: list[dict[str, Any]], given: dict[str, list[str]]
) -> list[tuple[str, str]]:
    """Check answers (`{code: [values]}`) against the definitions; (code, value) pairs to store."""
    by_code = {d["code"]: d for d in definitions}
    for code in given:
        if code not in by_code:
            raise _attribute_error(ERR_ATTRIBUTE_UNKNOWN, code=code)
    cleaned: list[tuple[str, str]] = []
    for definition in sorted(definitions, key=lambda d: d.get("order", 0)):
        code = definition["code"]
        values = [v for v in given.get(code, []) if v.strip()]
        if not values:
            if definition.get("required"):
                name = localized(definition.get("description"), english=False) or code
                raise _attribute_error(ERR_ATTRIBUTE_REQUIRED, name=name, code=code)
            continue
        if definition["datatype"] != "multivaluelist":
            values = values[:1]
        cleaned.extend((code, _check_value(definition, v)) for v in dict.fromkeys(values))
    return cleaned
