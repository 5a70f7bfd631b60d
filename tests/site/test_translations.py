"""Every text the code and the templates mark for translation reads in Vietnamese, as Django
really looks it up at run time (a template's literal "%" is doubled in the msgid, so a catalog
entry written with a single "%" is never found)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
# The same in both languages: names, codes, units.
SAME_IN_VIETNAMESE = {
    "API",
    "Open311",
    "PAPI",
    "PCI",
    "SIPAS",
    "PAR Index",
    "Email",
    "OK",
    "ID",
    "cookie",
}

TRANSLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?P<rest>[^%]*)%\}"""
)
BLOCK = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)(?P<opts>[^%]*)%\}(?P<body>.*?)"
    r"(?:\{%\s*plural\s*%\}.*?)?\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.S,
)
VARIABLE = re.compile(r"\{\{\s*([\w.]+)[^}]*\}\}")


def python_messages() -> set[tuple[str | None, str, str]]:
    found: set[tuple[str | None, str, str]] = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT_CALLS or not node.args:
                continue
            args = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if len(args) != len(node.args):
                continue
            context = args[0] if name.startswith("pgettext") else None
            text = args[1] if context is not None else args[0]
            found.add((context, text, f"{path.relative_to(SRC)}:{node.lineno}"))
    return found


def template_messages() -> set[tuple[str | None, str, str]]:
    found = set()
    for path in SRC.rglob("templates/**/*.html"):
        source = path.read_text(encoding="utf-8")
        where = str(path.relative_to(SRC))
        for match in TRANSLATE_TAG.finditer(source):
            context = re.search(r"context\s+[\"'](.*?)[\"']", match["rest"])
            # Django doubles a literal % of the tag before looking it up
            found.add((context and context[1], match["text"].replace("%", "%%"), where))
        for match in BLOCK.finditer(source):
            body = match["body"].replace("%", "%%")
            body = VARIABLE.sub(lambda m: f"%({m[1]})s", body)
            if "trimmed" in match["opts"]:
                body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
            context = re.search(r"context\s+[\"'](.*?)[\"']", match["opts"])
            found.add((context and context[1], body, where))
    return found


def untranslated(messages: set[tuple[str | None, str, str]]) -> list[str]:
    missing = []
    with translation.override("vi"):
        for context, text, where in sorted(messages, key=lambda m: m[2]):
            if not text.strip() or text in SAME_IN_VIETNAMESE:
                continue
            shown = translation.pgettext(context, text) if context else translation.gettext(text)
            if shown == text:
                missing.append(f"{where}: {text!r}")
    return missing


@pytest.mark.parametrize("source", ["python", "templates"])
def test_every_marked_text_has_a_vietnamese_translation(source):
    messages = python_messages() if source == "python" else template_messages()
    assert len(messages) > 100  # the extraction found the texts at all

    missing = untranslated(messages)

    assert not missing, f"{len(missing)} texts without Vietnamese:\n" + "\n".join(missing)
