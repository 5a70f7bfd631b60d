"""Fills a template's `{placeholders}` from the caller's data, dates the Vietnamese way."""

from __future__ import annotations

import datetime as dt
import string
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

BAD_PLACEHOLDER = "Template placeholder {{{field}}} must be a plain name, without . [ ] or !."
NAIVE_DATETIME = "Datetime value for {{{field}}} must be timezone-aware, got {value!r}."


class MissingKeyError(ValueError):
    """A placeholder names a key the data does not have."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def placeholders(text: str) -> set[str]:
    """The names a template string refers to, e.g. `{"place_name", "issued_at"}`.

    Raises ValueError for attribute or index access (`{a.b}`, `{a[0]}`), conversions (`{a!r}`)
    and nested fields in a format spec: templates are data and must not reach into objects.
    """
    names: set[str] = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if not field.isidentifier() or conversion or (spec and "{" in spec):
            raise ValueError(BAD_PLACEHOLDER.format(field=field))
        names.add(field)
    return names


def format_datetime(value: dt.datetime, spec: str = "") -> str:
    """Formats an aware datetime in the province's time zone (settings.TIME_ZONE).

    Specs: "" → "08 giờ 05 phút, ngày 24/11/2026"; "date" → "24/11/2026";
    "time" → "08 giờ 05 phút"; "long" → "ngày 24 tháng 11 năm 2026" (Decree 30/2020: a day below
    10 and months 1–2 take a leading zero, "ngày 05 tháng 3", "tháng 02"); any other spec is a
    strftime pattern applied to the local time ("%d/%m/%Y").
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(NAIVE_DATETIME.format(field="datetime", value=value))
    local = value.astimezone(timezone.get_default_timezone())
    if spec == "":
        return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"
    if spec == "time":
        return f"{local:%H} giờ {local:%M} phút"
    return format_date(local.date(), spec)


def format_date(value: dt.date, spec: str = "") -> str:
    """Formats a date: "" or "date" → "24/11/2026", "long" → "ngày 24 tháng 11 năm 2026"."""
    if spec in ("", "date"):
        return f"{value:%d/%m/%Y}"
    if spec == "long":
        month = f"{value.month:02d}" if value.month < 3 else str(value.month)
        return f"ngày {value:%d} tháng {month} năm {value.year}"
    return format(value, spec)


def format_value(value: Any, spec: str = "") -> str:
    """One placeholder's text: None prints as nothing, dates the Vietnamese way, the rest as str."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, spec)
    if isinstance(value, dt.date):
        return format_date(value, spec)
    return format(value, spec)


class _Formatter(string.Formatter):
    """One per `fill()` call: it remembers the field being formatted to name it in errors."""

    field = ""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise ValueError(BAD_PLACEHOLDER.format(field=field_name))
        if field_name not in kwargs:
            raise MissingKeyError(field_name)
        self.field = field_name
        return kwargs[field_name], field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            raise ValueError(BAD_PLACEHOLDER.format(field="!" + conversion))
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, dt.datetime) and (value.tzinfo is None or value.utcoffset() is None):
            raise ValueError(NAIVE_DATETIME.format(field=self.field, value=value))
        return format_value(value, format_spec)


def fill(text: str, data: Mapping[str, Any]) -> str:
    """`text.format_map(data)` with our value formatting, NFC-normalised for the PDF fonts.

    A missing key raises MissingKeyError (a ValueError) naming it.
    """
    return unicodedata.normalize("NFC", _Formatter().vformat(text, (), data))


def all_placeholders(texts: Iterable[str]) -> set[str]:
    """The union of `placeholders()` over many template strings."""
    names: set[str] = set()
    for text in texts:
        names |= placeholders(text)
    return names
