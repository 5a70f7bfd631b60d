"""Draw which app imports which (tests left out) as a Mermaid graph in docs/architecture.md,
between the `app-graph` markers; `--check` only says whether the drawing is current."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- app-graph: begin (scripts/app_graph.py) -->", "<!-- app-graph: end -->"
WIRING = {"api", "cli", "settings", "urls", "wsgi", "__main__"}


def app_edges() -> set[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "src"))
    graph = grimp.build_graph("motcua", cache_dir=None)
    edges = set()
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] in WIRING or "tests" in parts:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) > 1 and other[1] != parts[1] and other[1] not in WIRING:
                edges.add((parts[1], other[1]))
    return edges


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every app that can reach itself, with the path that shows it."""
    found = []
    for start in sorted({a for a, _ in edges}):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for a, b in sorted(edges):
                if a != node:
                    continue
                if b == start:
                    found.append([*path, b])
                elif b not in seen:
                    seen.add(b)
                    stack.append((b, [*path, b]))
    return found


def mermaid(edges: set[tuple[str, str]]) -> str:
    lines = ["```mermaid", "graph BT"]
    lines += [f"  {a} --> {b}" for a, b in sorted(edges)]
    lines.append("```")
    return "\n".join(lines)


def drawn(text: str, edges: set[tuple[str, str]]) -> str:
    block = f"{BEGIN}\n{mermaid(edges)}\n{END}"
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    return text.rstrip() + "\n\n## Which app imports which (drawn from the code)\n\n" + block + "\n"


def main() -> int:
    edges = app_edges()
    if found := cycles(edges):
        print("import cycles between apps:", *(" → ".join(c) for c in found), sep="\n  ")
        return 1
    text = DOC.read_text(encoding="utf-8")
    new = drawn(text, edges)
    if "--check" in sys.argv:
        if new != text:
            print("docs/architecture.md's app graph is stale: run scripts/app_graph.py")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"drew {len(edges)} imports between apps in {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
