"""Every text the code marks for translation has its Vietnamese: each msgid given to gettext in
`src/motcua` (errors, labels, forms) is in a Vietnamese catalog with a non-empty msgstr; and an
error renders its values in both of its JSON fields."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest

from motcua.common.errors import ApiError, render

SRC = Path(__file__).resolve().parents[2]
GETTEXT = {"_": 0, "gettext": 0, "gettext_lazy": 0, "pgettext": 1, "pgettext_lazy": 1}


def marked_msgids() -> set[tuple[str | None, str, str]]:
    """(context, msgid, where) for every gettext call with literal arguments."""
    found = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            position = GETTEXT.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            args = node.args[: position + 1]
            if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                context = args[0].value if position else None
                found.add((context, args[-1].value, f"{path.relative_to(SRC)}:{node.lineno}"))
    return found


def vietnamese_catalog() -> dict[tuple[str | None, str], str]:
    catalog = {}
    for po in SRC.glob("**/locale/vi/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po)):
            if entry.msgstr and "fuzzy" not in entry.flags:
                catalog.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    return catalog


def test_every_marked_text_has_its_vietnamese():
    # given
    catalog = vietnamese_catalog()
    # when
    missing = sorted(
        f"{where}: {msgid!r}"
        for context, msgid, where in marked_msgids()
        if (context, msgid) not in catalog
    )
    # then
    assert missing == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_error_renders_its_values_in_both_languages(language):
    # given a petition that does not exist
    error = ApiError("petition_not_found", "No petition {id}.", id=42)
    # when / then: each field is in its language, the value filled
    assert error.message == "Không tìm thấy phản ánh số 42."
    assert error.message_en == "No petition 42."
    assert render("No petition {id}.", language, id=42) == (
        error.message if language == "vi" else error.message_en
    )
