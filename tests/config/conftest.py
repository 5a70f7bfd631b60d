"""Helpers for tests that run motcua as a user does: real processes, real ports, real files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MOTCUA = VENV_BIN / "motcua"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"server exited with {process.returncode}:\n{output}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {seconds}s")


def clean_env(**extra: str) -> dict[str, str]:
    """A new shell's environment: no MOTCUA_* and no DJANGO_* variables from this process."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MOTCUA_", "DJANGO_", "PYTEST", "COV_"))
    }
    env.update(extra)
    return env


def test_database_env() -> dict[str, str]:
    """Variables that point a child process at this test run's database (committed data
    only: use with transactional_db)."""
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"MOTCUA_DATABASE_URL": f"sqlite:///{params['NAME']}"}
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return {"MOTCUA_DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"}


# pytest reads the attribute; mypy allows no attributes set on a function.
test_database_env.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
def run_server():
    """Start `motcua serve` with an environment; stopped (by its own pid) after the test."""
    started: list[subprocess.Popen] = []

    def start(env: dict[str, str], port: int, *, cwd: Path = CHECKOUT) -> subprocess.Popen:
        process = subprocess.Popen(
            [str(MOTCUA), "serve", "--threads", "4"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        wait_for_port(port, process)
        return process

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def settings_file(tmp_path) -> Iterator[Path]:
    yield tmp_path / "motcua.env"
