"""Codemod: bilingual error text into gettext.

Rewrites, in every module of src/motcua (tests excepted):
- `ERR_X = ("code", "Vietnamese …", "English …")` into `ERR_X = ("code", _("English …"))`;
- `ApiError|NotFound|PermissionDenied|Conflict|_reject(code, "Vietnamese", "English", …)`,
  f-strings included, into `ApiError(code, _("English {name}"), …, name=expr)`;
and appends each Vietnamese text as the msgstr of its English msgid to the catalog of the app
that owns the module (`<app>/locale/vi/…/django.po`, else `src/motcua/locale/`), with an
empty msgstr in the English catalog when the app has one (the msgid is the English).

What it cannot rewrite (`vi.format(...)` helpers, f-strings with computed expressions) is
listed for a hand edit. Run `ruff format`, `ruff check --fix` and
`scripts/compile_messages.py` afterwards; `common/tests/test_translations.py` tells what is
still missing. Usage: python scripts/gettext_errors.py [--dry-run]
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1] / "src" / "motcua"
ERROR_CALLS = {"ApiError", "NotFound", "PermissionDenied", "Conflict", "_reject"}
RESERVED = {"status", "errors", "field_name"}  # ApiError's own keyword arguments
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)
CODE = re.compile(r"[a-z_0-9]+")


def catalog_for(path: Path) -> Path:
    app = path.relative_to(ROOT).parts[0]
    return ROOT / app / "locale" if (ROOT / app / "locale").is_dir() else ROOT / "locale"


def template(node: ast.expr, src: str) -> tuple[str, dict[str, str]] | None:
    """A str constant or f-string as a format template and {expression: placeholder}."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, {}
    if not isinstance(node, ast.JoinedStr):
        return None
    parts, values = [], {}
    for part in node.values:
        if isinstance(part, ast.Constant):
            parts.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            continue
        if not isinstance(part, ast.FormattedValue):
            return None
        expr = part.value
        if isinstance(expr, ast.Name):
            name = expr.id
        elif isinstance(expr, ast.Attribute):
            name = expr.attr
        else:
            return None
        values[ast.get_source_segment(src, expr) or ""] = name
        conversion = "" if part.conversion == -1 else "!" + chr(part.conversion)
        spec = ""
        if part.format_spec is not None:
            pieces = getattr(part.format_spec, "values", [])
            if not all(isinstance(x, ast.Constant) for x in pieces):
                return None
            spec = ":" + "".join(str(x.value) for x in pieces)
        parts.append("{" + name + conversion + spec + "}")
    if len(set(values.values())) != len(values):
        return None
    return "".join(parts), values


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.src = path.read_text()
        self.tree = ast.parse(self.src)
        self.lines = self.src.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        binds = any(
            isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
            for n in ast.walk(self.tree)
        )
        self.has_lazy_underscore = "gettext_lazy as _" in self.src
        self.function = "_" if self.has_lazy_underscore or not binds else "gettext_lazy"
        self.edits: list[tuple[int, int, str]] = []
        self.entries: list[tuple[str, str]] = []
        self.manual: list[str] = []

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + len(self.lines[line - 1].encode()[:column].decode())

    def lazy(self, msgid: str) -> str:
        return f"{self.function}({quoted(msgid)})"

    def visit(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Tuple) and len(node.elts) == 3:
                self.tuple(node)
            elif isinstance(node, ast.Call):
                self.call(node)

    def tuple(self, node: ast.Tuple) -> None:
        code, vi, en = node.elts
        if not (isinstance(code, ast.Constant) and CODE.fullmatch(str(code.value))):
            return
        tv, te = template(vi, self.src), template(en, self.src)
        if tv is None or te is None or not VIETNAMESE.search(tv[0]):
            return
        if tv[1] or te[1]:
            self.manual.append(f"{self.path}:{node.lineno}: f-string constant; pass its values")
        start = self.offset(node.lineno, node.col_offset)
        end = self.offset(node.end_lineno or node.lineno, node.end_col_offset or 0)
        inner = f"{ast.get_source_segment(self.src, code)}, {self.lazy(te[0])}"
        self.edits.append((start, end, f"({inner})" if self.src[start] == "(" else inner))
        self.entries.append((te[0], tv[0]))

    def call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in ERROR_CALLS or len(node.args) < 3:
            return
        code, vi, en = node.args[:3]
        tv, te = template(vi, self.src), template(en, self.src)
        if tv is None or te is None:
            if VIETNAMESE.search(ast.get_source_segment(self.src, vi) or ""):
                self.manual.append(f"{self.path}:{node.lineno}: {name}(…) by hand")
            return
        if not VIETNAMESE.search(tv[0]):
            return
        values: dict[str, str] = {}
        for expr, placeholder in [*tv[1].items(), *te[1].items()]:
            if values.get(placeholder, expr) != expr or placeholder in RESERVED:
                self.manual.append(f"{self.path}:{node.lineno}: placeholder {placeholder}")
                return
            values[placeholder] = expr
        args = [ast.get_source_segment(self.src, code) or "", self.lazy(te[0])]
        args += [ast.get_source_segment(self.src, a) or "" for a in node.args[3:]]
        args += [ast.get_source_segment(self.src, k) or "" for k in node.keywords]
        args += [f"{placeholder}={expr}" for placeholder, expr in values.items()]
        start = self.offset(code.lineno, code.col_offset)
        end = self.offset(node.end_lineno or node.lineno, node.end_col_offset or 0) - 1
        self.edits.append((start, end, ", ".join(args)))
        self.entries.append((te[0], tv[0]))

    def rewritten(self) -> str:
        out, last = self.src, len(self.src) + 1
        for start, end, text in sorted(self.edits, reverse=True):
            if end > last:
                continue  # nested in an edit already made (a tuple inside a call)
            out, last = out[:start] + text + out[end:], start
        if self.function == "_" and not self.has_lazy_underscore:
            out = add_import(out, "from django.utils.translation import gettext_lazy as _")
        elif self.function == "gettext_lazy" and "import gettext_lazy\n" not in out:
            out = add_import(out, "from django.utils.translation import gettext_lazy")
        return out


def add_import(src: str, line: str) -> str:
    tree = ast.parse(src)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    if not imports:
        return line + "\n" + src
    lines = src.splitlines(keepends=True)
    end = imports[-1].end_lineno or imports[-1].lineno
    return "".join(lines[:end]) + line + "\n" + "".join(lines[end:])


def append_entries(catalog: Path, entries: list[tuple[str, str, str]]) -> None:
    for language in ("vi", "en"):
        po_path = catalog / language / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            continue
        have = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path))}
        chunks, seen = [], set()
        for msgid, msgstr, where in entries:
            if (None, msgid) in have or msgid in seen:
                continue
            seen.add(msgid)
            flag = "#, python-brace-format\n" if "{" in msgid else ""
            text = msgstr if language == "vi" else ""
            chunks.append(f"#: {where}\n{flag}msgid {quoted(msgid)}\nmsgstr {quoted(text)}\n")
        if chunks:
            po_path.write_text(po_path.read_text().rstrip("\n") + "\n\n" + "\n".join(chunks))
            print(f"{po_path.relative_to(ROOT.parent.parent)}: {len(chunks)} entries")


def main(dry_run: bool) -> int:
    by_catalog: dict[Path, list[tuple[str, str, str]]] = {}
    manual: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        module = Module(path)
        module.visit()
        manual += module.manual
        if not module.edits:
            continue
        where = str(path.relative_to(ROOT))
        by_catalog.setdefault(catalog_for(path), []).extend(
            (msgid, msgstr, where) for msgid, msgstr in module.entries
        )
        print(f"{where}: {len(module.edits)} rewritten")
        if not dry_run:
            path.write_text(module.rewritten())
    if not dry_run:
        for catalog, entries in by_catalog.items():
            append_entries(catalog, entries)
    for line in manual:
        print("by hand:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main("--dry-run" in sys.argv))
