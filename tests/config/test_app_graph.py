"""The apps' import graph has no cycle and docs/architecture.md draws it as it is."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from .conftest import CHECKOUT

SCRIPT = CHECKOUT / "scripts" / "app_graph.py"


def load_script():
    spec = importlib.util.spec_from_file_location("app_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_drawing_in_the_architecture_notes_is_current_and_acyclic():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_cycle_between_apps_is_named_with_its_path():
    app_graph = load_script()
    edges = {("dossiers", "audit"), ("audit", "common"), ("common", "dossiers"), ("org", "common")}

    found = app_graph.cycles(edges)

    assert ["audit", "common", "dossiers", "audit"] in found
    assert not any(path[0] == "org" for path in found)
    assert app_graph.cycles({("dossiers", "audit"), ("audit", "common")}) == []
