"""Every MOTCUA_* setting is declared once, typed, documented, and read from the environment
or the checkout's settings file; bad values stop with the variable's name."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.settings import env

from .conftest import CHECKOUT, MOTCUA, clean_env

SRC = CHECKOUT / "src" / "motcua"
NAME = re.compile(r"\bMOTCUA_[A-Z0-9_]*[A-Z0-9]\b")


@pytest.fixture
def load_base():
    """Import settings.base afresh with some variables set (as a new process would), then
    put the environment and the module back."""
    saved = dict(os.environ)

    def load(**values: str):
        # a new process: nothing from this one's MOTCUA_* (scripts/test.sh exports MOTCUA_DEMO=0)
        for name in [name for name in os.environ if name.startswith("MOTCUA_")]:
            del os.environ[name]
        os.environ.update({"MOTCUA_ENV_FILE": "", "MOTCUA_SECRET_KEY": "settings-test", **values})
        import motcua.settings.base as base

        return importlib.reload(base)

    yield load
    os.environ.clear()
    os.environ.update(saved)
    import motcua.settings.base as base

    importlib.reload(base)


def names_in(paths) -> set[str]:
    found = set()
    for path in paths:
        found |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return found


def source_files() -> list[Path]:
    return [
        path
        for path in SRC.rglob("*")
        if path.suffix in {".py", ".html", ".txt", ".json"}
        and "tests" not in path.parts
        and "migrations" not in path.parts
    ]


def test_every_name_read_in_the_code_is_declared():
    """`getattr(settings, "MOTCUA_…", default)` of an undeclared name, or os.environ of one,
    fails here: the default would live in the code, invisible to operators."""
    undeclared = names_in(source_files()) - set(env.DECLARED) - set(env.DERIVED)

    assert not undeclared, f"declare these in settings/base.py: {sorted(undeclared)}"


def test_every_name_the_documentation_mentions_is_really_read():
    docs = [CHECKOUT / "README.md", *sorted((CHECKOUT / "docs").glob("*.md"))]

    unknown = names_in(docs) - set(env.DECLARED) - set(env.DERIVED)

    assert not unknown, f"documented but read nowhere: {sorted(unknown)}"


def test_the_configuration_table_is_the_declarations():
    doc = (CHECKOUT / "docs" / "configuration.md").read_text(encoding="utf-8")

    assert env.settings_table() in doc, "run: python scripts/settings_table.py"
    for declared in env.DECLARED.values():
        assert f"| `{declared.name}` | {declared.kind} |" in doc


def test_getattr_with_a_default_is_not_how_settings_are_read_in_settings_code():
    settings_code = (SRC / "settings" / "base.py").read_text(encoding="utf-8")

    assert "os.environ" not in settings_code  # every read goes through a declaration


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("MOTCUA_LOGIN_MAX_FAILURES", "năm", "expected a whole number"),
        ("MOTCUA_LOGIN_MAX_FAILURES", "0", "expected at least 1"),
        ("MOTCUA_DEMO", "có", "expected on/off"),
        ("MOTCUA_THROTTLES", '{"track": {"limit": 3,', "expected JSON"),
        ("MOTCUA_OFFICE_OPENS", "7h30", 'expected a time like "07:30"'),
        ("MOTCUA_PUBLIC_URL", "dichvucong.haiphong.gov.vn", "expected an absolute http(s)"),
        ("MOTCUA_CACHE_URL", "mongodb://cache:27017", "expected locmem://"),
        ("MOTCUA_DATABASE_URL", "oracle-ish://x", "expected a database URL"),
        ("MOTCUA_LOG_LEVEL", "LOUD", "expected one of DEBUG"),
    ],
)
def test_a_malformed_value_stops_with_its_name(load_base, name, value, problem):
    with pytest.raises(ImproperlyConfigured) as raised:
        load_base(**{name: value})

    assert str(raised.value).startswith(f"{name}={value!r} (environment): {problem}")


def test_values_are_typed(load_base):
    base = load_base(
        MOTCUA_LOGIN_MAX_FAILURES="7",
        MOTCUA_DEMO="yes",
        MOTCUA_THROTTLES='{"track": {"limit": 3, "window": 60}}',
        MOTCUA_OFFICE_OPENS="08:00",
        MOTCUA_TRUSTED_PROXIES="10.0.0.2, ",
    )

    assert base.MOTCUA_LOGIN_MAX_FAILURES == 7
    assert base.MOTCUA_DEMO_MODE is True
    assert base.MOTCUA_THROTTLES == {"track": {"limit": 3, "window": 60}}
    assert base.MOTCUA_OFFICE_OPENS.hour == 8
    assert base.MOTCUA_TRUSTED_PROXIES == ["10.0.0.2"]


def test_cache_is_local_memory_by_default_and_redis_from_a_url(load_base):
    assert load_base().CACHES["default"]["BACKEND"].endswith("LocMemCache")

    caches = load_base(MOTCUA_CACHE_URL="redis://cache.haiphong.internal:6379/2").CACHES

    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.haiphong.internal:6379/2",
    }


def test_public_url_is_a_trusted_origin(load_base):
    base = load_base(
        MOTCUA_PUBLIC_URL="https://dichvucong.haiphong.gov.vn/",
        MOTCUA_CSRF_TRUSTED_ORIGINS="https://mot-cua.haiphong.gov.vn",
    )

    assert base.MOTCUA_PUBLIC_URL == "https://dichvucong.haiphong.gov.vn"
    assert base.CSRF_TRUSTED_ORIGINS == [
        "https://mot-cua.haiphong.gov.vn",
        "https://dichvucong.haiphong.gov.vn",
    ]


# --- the checkout's settings file


def test_settings_file_values_apply_under_the_environment(load_base, tmp_path):
    # given
    settings_file = tmp_path / ".env"
    settings_file.write_text(
        "# written by make run\nMOTCUA_DEMO=1\nMOTCUA_PORT=8123\n"
        "MOTCUA_SITE_NAME='Cổng dịch vụ công Hải Phòng'\n",
        encoding="utf-8",
    )

    # when: the environment sets one of them too
    base = load_base(MOTCUA_ENV_FILE=str(settings_file), MOTCUA_PORT="9000")

    # then
    assert settings_file == base.MOTCUA_ENV_FILE
    assert base.MOTCUA_DEMO_MODE is True
    assert base.MOTCUA_SITE_NAME == "Cổng dịch vụ công Hải Phòng"
    assert base.MOTCUA_PORT == 9000  # the environment wins
    assert base.MOTCUA_LOGIN_MAX_FAILURES == 5  # missing: the documented default


def test_a_malformed_value_in_the_file_names_the_file_and_line(load_base, tmp_path):
    settings_file = tmp_path / ".env"
    settings_file.write_text("MOTCUA_DEMO=1\nMOTCUA_KIOSK_THANKS_SECONDS=mười\n")

    with pytest.raises(ImproperlyConfigured) as raised:
        load_base(MOTCUA_ENV_FILE=str(settings_file))

    assert str(raised.value) == (
        f"MOTCUA_KIOSK_THANKS_SECONDS='mười' ({settings_file}, line 2): expected a whole number."
    )


def test_an_unknown_name_in_the_file_is_refused(load_base, tmp_path):
    settings_file = tmp_path / ".env"
    settings_file.write_text("MOTCUA_DEMO=1\nMOTCUA_PUBLIC_ULR=http://127.0.0.1:8000\n")
    load_base(MOTCUA_ENV_FILE=str(settings_file))

    with pytest.raises(ImproperlyConfigured) as raised:
        env.check_settings_file()  # what the common app's ready() runs

    assert "unknown setting MOTCUA_PUBLIC_ULR (line 2)" in str(raised.value)


def test_a_line_that_is_not_name_value_is_refused(load_base, tmp_path):
    settings_file = tmp_path / ".env"
    settings_file.write_text("MOTCUA_DEMO=1\nMOTCUA_PORT\n")

    with pytest.raises(ImproperlyConfigured) as raised:
        load_base(MOTCUA_ENV_FILE=str(settings_file))

    assert (
        str(raised.value)
        == f"{settings_file}, line 2: MOTCUA_PORT has no value; write MOTCUA_PORT=value."
    )


def test_a_named_file_that_is_missing_is_an_error_the_default_one_is_not(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere.env"
    monkeypatch.delenv("MOTCUA_ENV_FILE")
    assert env.settings_file_path(missing) is None
    (tmp_path / ".env").write_text("MOTCUA_DEMO=1\n")
    assert env.settings_file_path(tmp_path / ".env") == tmp_path / ".env"

    monkeypatch.setenv("MOTCUA_ENV_FILE", str(missing))
    with pytest.raises(ImproperlyConfigured, match="no such settings file"):
        env.settings_file_path(tmp_path / ".env")


def test_the_command_line_stops_with_one_line_naming_the_bad_key(tmp_path):
    """What a user sees: `motcua token …` with a typo in .env."""
    settings_file = tmp_path / ".env"
    settings_file.write_text("MOTCUA_DEMO=1\nMOTCUA_DEMOO=1\n")

    result = subprocess.run(
        [str(MOTCUA), "token", "demo-desk"],
        env=clean_env(MOTCUA_ENV_FILE=str(settings_file), MOTCUA_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.startswith(f"motcua: {settings_file}: unknown setting MOTCUA_DEMOO")
    assert "Traceback" not in result.stderr


def test_make_run_writer_keeps_other_lines_and_checks_types(tmp_path):
    settings_file = tmp_path / ".env"
    settings_file.write_text("MOTCUA_PORT=8000\n# my database\nMOTCUA_SITE_NAME=Thử\n")
    write = [sys.executable, "-m", "motcua.settings.env", "--file", str(settings_file)]

    subprocess.run([*write, "MOTCUA_DEMO=1", "MOTCUA_PORT=8080"], check=True, env=clean_env())
    bad = subprocess.run(
        [*write, "MOTCUA_PORT=tám"], env=clean_env(), capture_output=True, text=True
    )

    assert settings_file.read_text().splitlines() == [
        "MOTCUA_PORT=8080",
        "# my database",
        "MOTCUA_SITE_NAME=Thử",
        "MOTCUA_DEMO=1",
    ]
    assert bad.returncode == 2
    assert "MOTCUA_PORT='tám'" in bad.stderr


@pytest.mark.parametrize("module", ["motcua.settings.test", "motcua.settings.production"])
def test_test_and_production_settings_read_no_checkout_file(module, tmp_path):
    """`make test` and a server never pick up the checkout's .env unless told to."""
    program = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.MOTCUA_ENV_FILE)"
    )
    extra = {
        "DJANGO_SETTINGS_MODULE": module,
        "MOTCUA_SECRET_KEY": "x",
        "MOTCUA_ALLOWED_HOSTS": "localhost",
        "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MOTCUA_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "-c", program],
        env=clean_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "None", result.stderr
