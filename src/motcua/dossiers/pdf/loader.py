"""Finds the form template in force on a date and says which data keys it needs.

Templates are JSON files named `<form>.json` or `<form>@YYYY-MM-DD.json`, looked up first in the
directory named by the Django setting MOTCUA_FORM_TEMPLATES_DIR, then in the built-in
`templates/` next to this module. See README.md for the format.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .formatting import all_placeholders

FORM_CODES: tuple[str, ...] = (
    "receipt",
    "supplement",
    "refusal",
    "apology",
    "stop",
    "control-sheet",
    "register",
)
BUILTIN_DIR = Path(__file__).resolve().parent / "templates"
PAGE_SIZES_MM = {"A5": (148.0, 210.0), "A4": (210.0, 297.0)}
ORIENTATIONS = ("portrait", "landscape")
BLOCK_TYPES = ("header", "title", "paragraph", "fields", "table", "list", "signatures", "space")
TEMPLATE_KEYS = ("form_number", "title", "page", "effective_from", "legal_note", "blocks")
ROW_INDEX_KEY = "n"  # the 1-based position of a table row or list item
LIST_ITEM_KEY = "item"  # a list item that is a plain string

UNKNOWN_FORM = "Unknown form {form!r}; expected one of: {codes}."
MISSING_KEYS = "Form {form!r} is missing data keys: {keys}."
NOT_A_LIST = "Data key {key!r} of form {form!r} must be a list."
NO_TEMPLATE = "No template for form {form!r} is in force on {on:%Y-%m-%d} (looked in: {dirs})."
BAD_TEMPLATE = "Form template {path}: {problem}."
BAD_OVERRIDE_DIR = "MOTCUA_FORM_TEMPLATES_DIR={path!s} is not a directory."

_DATED_NAME = re.compile(r"^(?P<form>[a-z-]+)@(?P<date>\d{4}-\d{2}-\d{2})\.json$")


@dataclass(frozen=True)
class FormTemplate:
    """A parsed, checked template and where it came from."""

    form: str
    path: Path
    effective_from: dt.date
    spec: Mapping[str, Any]

    @property
    def page_size_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM[self.spec["page"]["size"]]

    @property
    def landscape(self) -> bool:
        return self.spec["page"]["orientation"] == "landscape"

    @property
    def blocks(self) -> list[Mapping[str, Any]]:
        return self.spec["blocks"]


def template_dirs() -> list[Path]:
    """The directories searched, override first."""
    try:
        from django.conf import settings

        override = settings.MOTCUA_FORM_TEMPLATES_DIR
    except ImproperlyConfigured:  # used outside a configured Django project
        override = None
    if not override:
        return [BUILTIN_DIR]
    path = Path(override)
    if not path.is_dir():
        raise ImproperlyConfigured(BAD_OVERRIDE_DIR.format(path=path))
    return [path, BUILTIN_DIR]


def find_template(form: str, on: dt.date) -> FormTemplate:
    """The newest template of `form` whose effective date is on or before `on`.

    The first directory holding such a template wins, so an override directory with only a
    future-dated variant falls back to the built-in template until that date.
    """
    if form not in FORM_CODES:
        raise ValueError(UNKNOWN_FORM.format(form=form, codes=", ".join(FORM_CODES)))
    dirs = template_dirs()
    for directory in dirs:
        in_force = [t for t in _templates_in(directory, form) if t.effective_from <= on]
        if in_force:
            # A dated file beats a plain one of the same date: it was put there on purpose.
            return max(in_force, key=lambda t: (t.effective_from, "@" in t.path.name))
    raise ValueError(NO_TEMPLATE.format(form=form, on=on, dirs=", ".join(map(str, dirs))))


def _templates_in(directory: Path, form: str) -> Iterator[FormTemplate]:
    for path in sorted(directory.glob(f"{form}*.json")):
        dated = _DATED_NAME.match(path.name)
        if path.name == f"{form}.json":
            yield load_template(path, form)
        elif dated and dated["form"] == form:
            template = load_template(path, form)
            if template.effective_from.isoformat() != dated["date"]:
                problem = f"effective_from {template.effective_from} differs from the file name"
                raise ValueError(BAD_TEMPLATE.format(path=path, problem=problem))
            yield template


def load_template(path: Path, form: str) -> FormTemplate:
    """Reads and checks one template file; any problem is a ValueError naming the file."""

    def bad(problem: str) -> ValueError:
        return ValueError(BAD_TEMPLATE.format(path=path, problem=problem))

    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(f"cannot be read as JSON ({exc})") from exc
    if not isinstance(spec, dict):
        raise bad("the top level must be an object")
    absent = [key for key in TEMPLATE_KEYS if key not in spec]
    if absent:
        raise bad("missing keys " + ", ".join(absent))
    try:
        effective_from = dt.date.fromisoformat(spec["effective_from"])
    except (TypeError, ValueError) as exc:
        raise bad("effective_from must be a date YYYY-MM-DD") from exc
    page = spec["page"]
    if not isinstance(page, dict) or page.get("size") not in PAGE_SIZES_MM:
        raise bad("page.size must be one of " + ", ".join(PAGE_SIZES_MM))
    if page.get("orientation") not in ORIENTATIONS:
        raise bad("page.orientation must be one of " + ", ".join(ORIENTATIONS))
    blocks = spec["blocks"]
    if not isinstance(blocks, list) or not blocks:
        raise bad("blocks must be a non-empty list")
    for index, block in enumerate(blocks, start=1):
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            raise bad(f"block {index} must have a type among " + ", ".join(BLOCK_TYPES))
        if block["type"] in ("table", "list") and not isinstance(block.get("source"), str):
            raise bad(f"block {index} ({block['type']}) needs a source key")
    template = FormTemplate(form=form, path=path, effective_from=effective_from, spec=spec)
    try:
        top_level_placeholders(template)
        for block in template.blocks:
            all_placeholders(_row_texts(block))
    except ValueError as exc:
        raise bad(str(exc)) from exc
    return template


def _line_texts(lines: Any) -> Iterator[str]:
    for line in lines or ():
        if isinstance(line, str):
            yield line
        elif isinstance(line, dict) and "text" in line:
            yield line["text"]


def _field_items(block: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for item in block.get("items", ()):
        yield from item.get("row", ()) if "row" in item else (item,)


def _top_level_texts(template: FormTemplate, block: Mapping[str, Any]) -> Iterator[str]:
    kind = block["type"]
    if kind == "header":
        yield from _line_texts(block.get("left"))
        yield from _line_texts(block.get("right"))
    elif kind == "title":
        yield block.get("text", template.spec["title"])
        yield from _line_texts(block.get("subtitle"))
        if block.get("qr"):
            yield block["qr"]
    elif kind == "paragraph":
        yield block.get("text", "")
    elif kind == "fields":
        for item in _field_items(block):
            yield item.get("label", "")
            yield item.get("value", "")
    elif kind in ("list", "table"):
        yield from (column.get("title", "") for column in block.get("columns", ()))
        yield block.get("empty_text", "")
    elif kind == "signatures":
        for column in block.get("columns", ()):
            yield from (column.get(key, "") for key in ("role", "note", "name"))


def _row_texts(block: Mapping[str, Any]) -> list[str]:
    """The strings filled once per row of a table or list, from the row's own keys."""
    if block["type"] == "table":
        return [column.get("value", "") for column in block.get("columns", ())]
    if block["type"] == "list":
        return [block.get("item", "{item}"), block.get("marker", "{n}.")]
    return []


def top_level_placeholders(template: FormTemplate) -> set[str]:
    """Every data key the template needs, including the sources of tables and lists."""
    names: set[str] = set()
    for block in template.blocks:
        names |= all_placeholders(_top_level_texts(template, block))
        if block["type"] in ("table", "list"):
            names.add(block["source"])
    return names


def row_scope(row: Any, index: int) -> dict[str, Any]:
    """The names a row's placeholders may use: its own keys (or `item`), plus `n`."""
    scope = dict(row) if isinstance(row, Mapping) else {LIST_ITEM_KEY: row}
    scope[ROW_INDEX_KEY] = index
    return scope


def missing_keys(template: FormTemplate, data: Mapping[str, Any]) -> list[str]:
    """Keys the data lacks, sorted, with row keys named like `documents[2].quantity`."""
    missing = {name for name in top_level_placeholders(template) if name not in data}
    for block in template.blocks:
        source = block.get("source")
        if block["type"] not in ("table", "list") or source not in data:
            continue
        rows = data[source]
        if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, list | tuple):
            raise ValueError(NOT_A_LIST.format(key=source, form=template.form))
        needed = all_placeholders(_row_texts(block))
        for index, row in enumerate(rows, start=1):
            scope = row_scope(row, index)
            missing |= {f"{source}[{index}].{name}" for name in needed if name not in scope}
    return sorted(missing)
