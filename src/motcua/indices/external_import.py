"""Importing published PCI/PAPI values from CSV: every line is checked against the index
definitions (external/definitions.json) and the list of provinces; one bad line and nothing is
saved. Columns: index, province, year, component, score, rank (score or rank may be empty)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy, pgettext_lazy
from vietnam_provinces import Province

from motcua.common.errors import ApiError, Message, bilingual

from .models import ExternalValue

EXTERNAL_DIR = Path(__file__).parent / "external"
DEFINITIONS = EXTERNAL_DIR / "definitions.json"
COLUMNS = ("index", "province", "year", "component", "score", "rank")
TOTAL = "total"


def definitions() -> dict[str, Any]:
    return json.loads(DEFINITIONS.read_text(encoding="utf-8"))


def province_names() -> dict[int, str]:
    names = {int(p.code): p.name for p in Province.iter_all()}
    names.update({int(p["code"]): p["name"] for p in definitions()["extra_provinces"]})
    return names


def _line_error(line: int, message: Message, /, **values: Any) -> dict[str, Any]:
    vi, en = bilingual(message, **values)
    return {"field": f"line {line}", "message": vi, "message_en": en}


def _check_row(
    line: int, row: dict[str, str], indices: dict[str, Any], provinces: dict[int, str]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    errors = []
    index = (row.get("index") or "").strip().lower()
    spec = indices.get(index)
    if spec is None:
        errors.append(_line_error(line, gettext_lazy("Unknown index “{index}”."), index=index))
    try:
        province = int(row.get("province") or "")
    except ValueError:
        province = -1
    if province not in provinces:
        errors.append(
            _line_error(
                line,
                gettext_lazy("Unknown province code “{province}”."),
                province=row.get("province"),
            )
        )
    try:
        year = int(row.get("year") or "")
    except ValueError:
        year = -1
    first = spec["first_year"] if spec else 2005
    if not first <= year <= dt.date.today().year:  # noqa: DTZ011 - a calendar year is enough
        errors.append(
            _line_error(
                line,
                gettext_lazy("Year “{year}” is outside {first}–now."),
                year=row.get("year"),
                first=first,
            )
        )
    component = (row.get("component") or TOTAL).strip()
    low, high = None, None
    if spec is not None:
        if component == TOTAL:
            low, high = spec["total_range"]
        else:
            match = next((c for c in spec["components"] if c["code"] == component), None)
            if match is None or year < match.get("from_year", 0):
                errors.append(
                    _line_error(
                        line,
                        gettext_lazy("Component “{component}” is not part of {index} in {year}."),
                        component=component,
                        index=index.upper(),
                        year=year,
                    )
                )
            else:
                low, high = match["range"]
    score = rank = None
    try:
        score = Decimal(row["score"]) if (row.get("score") or "").strip() else None
        rank = int(row["rank"]) if (row.get("rank") or "").strip() else None
    except (InvalidOperation, ValueError):
        errors.append(_line_error(line, gettext_lazy("Score or rank is not a number.")))
    if score is None and rank is None and not errors:
        errors.append(_line_error(line, gettext_lazy("Both score and rank are missing.")))
    if score is not None and low is not None and high is not None and not low <= score <= high:
        errors.append(
            _line_error(
                line,
                gettext_lazy("Score {score} is outside {low}–{high}."),
                score=score,
                low=low,
                high=high,
            )
        )
    if errors:
        return None, errors
    return {
        "index": index,
        "province_code": province,
        "year": year,
        "component": component,
        "score": score,
        "rank": rank,
    }, []


def external_import(text: str, *, source: str = "") -> dict[str, int]:
    """Validate every line, then create or update all values in one transaction."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ApiError(
            "external_columns",
            gettext_lazy("The file lacks the column(s): {columns}."),
            columns=", ".join(missing),
        )
    indices = definitions()["indices"]
    provinces = province_names()
    rows, errors, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        row, problems = _check_row(line, raw, indices, provinces)
        errors += problems
        if row is not None:
            key = (row["index"], row["province_code"], row["year"], row["component"])
            if key in seen:
                errors.append(
                    _line_error(line, gettext_lazy("Duplicate of an earlier line: {key}."), key=key)
                )
            seen.add(key)
            rows.append(row)
    if errors:
        raise ApiError(
            "external_invalid",
            pgettext_lazy(
                "external index import", "The file has {count} error(s); nothing was saved."
            ),
            count=len(errors),
            errors=errors,
        )
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            _, was_created = ExternalValue.objects.update_or_create(
                index=row["index"],
                province_code=row["province_code"],
                year=row["year"],
                component=row["component"],
                defaults={"score": row["score"], "rank": row["rank"], "source": source[:200]},
            )
            created += was_created
            updated += not was_created
    return {"created": created, "updated": updated}


def external_series(index: str, province_code: int) -> list[dict[str, Any]]:
    """Per year: total score and rank, and the sub-indices that were imported."""
    by_year: dict[int, dict[str, Any]] = {}
    for value in ExternalValue.objects.filter(index=index, province_code=province_code):
        entry = by_year.setdefault(
            value.year, {"year": value.year, "score": None, "rank": None, "components": {}}
        )
        if value.component == TOTAL:
            entry["score"], entry["rank"] = value.score, value.rank
        else:
            entry["components"][value.component] = value.score
    return [by_year[y] for y in sorted(by_year)]


ERR_IMPORTER = (
    "not_reform_office",
    gettext_lazy(
        "Only the administrative reform office or an administrator may import PCI/PAPI values."
    ),
)
ERR_ENCODING = ("external_encoding", gettext_lazy("The file is not a UTF-8 CSV."))
IMPORTER_ROLES = ("reform_office", "administrator")


def may_import_external(actor: Any) -> bool:
    return getattr(actor, "role", None) in IMPORTER_ROLES


def external_values_upload(*, actor: Any, content: bytes, source: str) -> dict[str, int]:
    """An uploaded CSV of published values (the page's form): permission first, then the
    encoding, then ``external_import`` (every line checked, all or nothing)."""
    from motcua.common.errors import PermissionDenied

    if not may_import_external(actor):
        raise PermissionDenied(*ERR_IMPORTER)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(*ERR_ENCODING) from exc
    return external_import(text, source=source)
