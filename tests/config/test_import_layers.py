"""`make lint` runs import-linter over the contracts in pyproject.toml: the checkout keeps them,
and one upward import (a kernel module reaching into an app above it) breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess

from .conftest import CHECKOUT, VENV_BIN

LINT_IMPORTS = VENV_BIN / "lint-imports"


def lint_imports(src, tmp_path) -> subprocess.CompletedProcess:
    # The copy under `src` comes first on the path, so grimp reads it instead of the checkout.
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(CHECKOUT / "pyproject.toml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_the_package(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(
        CHECKOUT / "src" / "motcua",
        src / "motcua",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "templates", "locale"),
    )
    return src


def test_the_checkout_keeps_every_contract(tmp_path):
    # given the package as it is
    src = copy_of_the_package(tmp_path)
    # when
    result = lint_imports(src, tmp_path)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import only downwards KEPT" in result.stdout


def test_an_upward_import_from_the_kernel_breaks_the_layers(tmp_path):
    # given the kernel's text helpers reaching up into the dossiers
    src = copy_of_the_package(tmp_path)
    text = src / "motcua" / "common" / "text.py"
    text.write_text(text.read_text() + "\nfrom motcua.dossiers.models import Dossier  # noqa\n")
    # when
    result = lint_imports(src, tmp_path)
    # then
    assert result.returncode != 0
    assert "Apps import only downwards BROKEN" in result.stdout
    assert "motcua.common is not allowed to import motcua.dossiers" in result.stdout
    assert "motcua.common.text -> motcua.dossiers.models" in result.stdout


def test_siblings_in_one_layer_may_not_import_each_other(tmp_path):
    # given the ratings app reading the petitions app's models
    src = copy_of_the_package(tmp_path)
    services = src / "motcua" / "surveys" / "services.py"
    services.write_text(
        services.read_text() + "\nfrom motcua.feedback.models import Petition  # noqa\n"
    )
    # when
    result = lint_imports(src, tmp_path)
    # then
    assert result.returncode != 0
    assert "The lifecycle consumers" in result.stdout
    assert "BROKEN" in result.stdout
    assert "motcua.surveys.services -> motcua.feedback.models" in result.stdout


def test_a_lower_layer_may_not_reach_a_sibling_pair_above_it(tmp_path):
    # given the dossiers importing the payments (a lifecycle consumer above them)
    src = copy_of_the_package(tmp_path)
    expiry = src / "motcua" / "dossiers" / "expiry.py"
    expiry.write_text(expiry.read_text() + "\nfrom motcua.payments import models  # noqa\n")
    # when
    result = lint_imports(src, tmp_path)
    # then
    assert result.returncode != 0
    assert "motcua.dossiers is not allowed to import motcua.payments" in result.stdout


def test_a_service_that_imports_its_notifications_breaks_the_events_contract(tmp_path):
    # given the petitions' services calling their notifier directly again
    src = copy_of_the_package(tmp_path)
    services = src / "motcua" / "feedback" / "services.py"
    services.write_text(services.read_text() + "\nfrom . import notify  # noqa\n")
    # when
    result = lint_imports(src, tmp_path)
    # then
    assert result.returncode != 0
    assert "no service imports the notifications" in result.stdout
    assert "motcua.feedback.services -> motcua.feedback.notify" in result.stdout
