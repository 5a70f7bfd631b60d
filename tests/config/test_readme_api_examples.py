"""The README's API examples work verbatim after `make run`, in a new shell.

The test reads the ```sh block under "## API examples" in README.md, so the README cannot
drift from what works. It sets up the checkout's settings file the way `make run` does (the
same `python -m motcua.settings.env` line, read from the Makefile), pointing it at this test
run's database, which holds the demo world; starts `motcua serve` on a free port; and runs
each command with bash in an environment with no MOTCUA_* variable exported except
MOTCUA_ENV_FILE, which stands for the checkout's .env (the real one belongs to the developer).
Only the port and the dossier CODE are substituted."""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest

from .conftest import CHECKOUT, VENV_BIN, clean_env, free_port, test_database_env

README = CHECKOUT / "README.md"
MAKEFILE = CHECKOUT / "Makefile"
# Prepended to every command: a non-2xx answer makes curl (and so the command) fail.
CURL_FAILS_ON_ERROR = 'curl() { command curl --silent --show-error --fail-with-body "$@"; }\n'


def readme_api_commands() -> list[str]:
    """The commands of the README's API examples, one string each (continuations joined)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## API examples", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "README.md: no ```sh block under ## API examples"
    commands, current = [], ""
    for line in block.group(1).splitlines():
        current = f"{current}\n{line}" if current else line
        if current.endswith("\\"):
            continue
        try:
            shlex.split(current)
        except ValueError:  # a quoted string goes on on the next line
            continue
        if current.strip():
            commands.append(current)
        current = ""
    assert not current, f"README.md: unfinished command {current!r}"
    return commands


def make_run_settings_command(python: str, settings_file: str, port: int) -> list[str]:
    """The line of `make run` that writes the checkout's settings file, for `settings_file`."""
    recipe = MAKEFILE.read_text(encoding="utf-8").split("\nrun:", 1)[1].split("\n\n", 1)[0]
    line = next(line.strip() for line in recipe.splitlines() if "motcua.settings.env" in line)
    line = line.replace("$(PORT)", str(port)).replace("$(PY)", python)
    args = shlex.split(line)
    at = args.index("motcua.settings.env") + 1
    return [*args[:at], "--file", settings_file, *args[at:]]


def test_readme_commands_are_parsed_whole():
    commands = readme_api_commands()

    assert any(c.startswith("TOKEN=$(.venv/bin/motcua token demo-desk)") for c in commands)
    assert all(c.count("'") % 2 == 0 for c in commands)


@pytest.mark.django_db(transaction=True)
def test_readme_api_examples_run_verbatim_after_make_run(world, tmp_path, run_server):
    # given: the settings file `make run` writes, against this run's database
    port = free_port()
    settings_file = str(tmp_path / "checkout.env")
    python = str(VENV_BIN / "python")
    subprocess.run(make_run_settings_command(python, settings_file, port), check=True)
    extra = [f"{name}={value}" for name, value in test_database_env().items()]
    extra.append(f"MOTCUA_VAR_DIR={tmp_path / 'var'}")
    subprocess.run(
        [python, "-m", "motcua.settings.env", "--file", settings_file, *extra], check=True
    )
    shell_env = clean_env(MOTCUA_ENV_FILE=settings_file)
    run_server(shell_env, port)
    # the commands run where a user stands: a directory with the checkout's .venv
    (tmp_path / ".venv").symlink_to(CHECKOUT / ".venv")

    # when: every example runs, in order, each in a new bash
    variables: dict[str, str] = {}
    code = None
    for command in readme_api_commands():
        command = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        if "CODE" in command:
            assert code, f"no dossier code yet for {command!r}"
            command = re.sub(r"\bCODE\b", code, command)
        assignment = re.match(r"^([A-Z_]+)=", command)
        script = CURL_FAILS_ON_ERROR + command
        if assignment:
            script += f'\nprintf %s "${assignment.group(1)}"'
        result = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=tmp_path,
            env={**shell_env, **variables},
            capture_output=True,
            text=True,
            timeout=60,
        )

        # then: each succeeds (curl fails on anything but 2xx)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if assignment:
            assert result.stdout.strip(), f"{command} printed nothing"
            variables[assignment.group(1)] = result.stdout.strip()
        elif result.stdout.lstrip().startswith("{"):
            answer = json.loads(result.stdout)
            code = answer.get("code", code)

    assert code, "no example created a dossier"
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
