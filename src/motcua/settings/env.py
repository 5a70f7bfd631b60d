"""Every MOTCUA_* variable declared once: its type, default and meaning, read from the
environment or from the checkout's settings file.

Values are looked up in the process environment first, then in the settings file, then the
declared default applies. The settings file is `.env` at the root of the checkout (written by
`make run`); `MOTCUA_ENV_FILE` names another file, or "" for none. `settings.production` and
`settings.test` read no file unless `MOTCUA_ENV_FILE` names one, so a server or `make test`
never picks up a developer's demo configuration by accident.

A declaration is one line in base.py, for example:

    MOTCUA_KIOSK_THANKS_SECONDS = env.integer("MOTCUA_KIOSK_THANKS_SECONDS", 10, "seconds …")

(`env.string`, `env.boolean`, `env.integer`, `env.strings`, `env.json_value`, `env.time`,
`env.url`, `env.path`.)

`docs/configuration.md` holds the table of every declaration (`scripts/settings_table.py`
writes it); a test keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

ENV_FILE_VARIABLE = "MOTCUA_ENV_FILE"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})

ERR_BAD_VALUE = "{name}={value!r} ({source}): {problem}."
ERR_UNKNOWN_KEY = (
    "{path}: unknown setting {name} (line {line}). The settings file takes only the variables "
    "listed in docs/configuration.md; check the spelling or remove the line."
)
ERR_BAD_LINE = "{path}, line {line}: cannot read {text!r}; write NAME=value."
ERR_NO_VALUE = "{path}, line {line}: {name} has no value; write {name}=value."
ERR_DEMO_IN_PRODUCTION = (
    "MOTCUA_DEMO is on: production refuses demo mode (its accounts have a published password). "
    "Unset MOTCUA_DEMO, or use motcua.settings.base for a demo."
)
ERR_MISSING_FILE = "{variable}={path}: no such settings file."


@dataclass(frozen=True)
class Declared:
    """One environment variable: what the documentation table says about it."""

    name: str
    kind: str
    default: str
    help: str


# name -> declaration, in declaration order (the documentation table's order).
DECLARED: dict[str, Declared] = {}
# Variables whose value came from the settings file (for error messages), and the file read.
_from_file: dict[str, int] = {}
_file_read: Path | None = None


def _declare(name: str, kind: str, default: str, help_text: str) -> None:
    if not name.startswith("MOTCUA_"):
        raise ImproperlyConfigured(f"{name}: motcua settings are named MOTCUA_*.")
    existing = DECLARED.get(name)
    if existing and (existing.kind, existing.default) != (kind, default):
        raise ImproperlyConfigured(f"{name} is declared twice, differently.")
    DECLARED[name] = Declared(name, kind, default, help_text)


# Django settings named MOTCUA_* that no variable sets directly: name -> how they are set.
DERIVED: dict[str, str] = {}


def derived(name: str, help_text: str) -> None:
    """Document a MOTCUA_* Django setting that is computed, not read from a variable."""
    DERIVED[name] = help_text


TABLE_START = "<!-- settings table: scripts/settings_table.py writes it; a test compares -->"
TABLE_END = "<!-- end of settings table -->"


def settings_table() -> str:
    """docs/configuration.md's table of every declared variable, then the derived settings."""
    rows = ["| variable | type | default | meaning |", "|---|---|---|---|"]
    rows += [
        f"| `{d.name}` | {d.kind} | {_cell(d.default)} | {_cell(d.help)} |"
        for d in DECLARED.values()
    ]
    rows += ["", "Settings computed from those (not variables):", ""]
    rows += [f"- `{name}`: {text}" for name, text in DERIVED.items()]
    return "\n".join([TABLE_START, *rows, TABLE_END])


def _cell(text: str) -> str:
    text = text.replace("|", "\\|")
    return text if text == "—" else f"`{text}`" if text and " " not in text else text


def _source(name: str) -> str:
    if name in _from_file and _file_read is not None:
        return f"{_file_read}, line {_from_file[name]}"
    return "environment"


def _read(
    name: str,
    kind: str,
    default: Any,
    help_text: str,
    parse: Callable[[str], Any],
    *,
    shown_default: str | None = None,
) -> Any:
    _declare(name, kind, _show(default) if shown_default is None else shown_default, help_text)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            ERR_BAD_VALUE.format(name=name, value=raw, source=_source(name), problem=exc)
        ) from exc


def _show(default: Any) -> str:
    if default is None or default == "":
        return "—"
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, list | tuple):
        return ",".join(str(item) for item in default) or "—"
    if isinstance(default, dict):
        return json.dumps(default) if default else "{}"
    if isinstance(default, dt.time):
        return default.strftime("%H:%M")
    return str(default)


def _parse_bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("expected on/off (1, true, yes, on or 0, false, no, off)")


def _parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def _parse_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _parse_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected JSON ({exc.msg} at character {exc.pos})") from None


def _parse_time(raw: str) -> dt.time:
    try:
        return dt.time.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError('expected a time like "07:30"') from None


def _parse_url(raw: str) -> str:
    value = raw.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query:
        raise ValueError("expected an absolute http(s) address like https://dichvucong.example.vn")
    return value


def string(name: str, default: str, help_text: str, *, choices: tuple[str, ...] = ()) -> str:
    def parse(raw: str) -> str:
        if choices and raw not in choices:
            raise ValueError("expected one of " + ", ".join(choices))
        return raw

    return _read(name, "text", default, help_text, parse)


def boolean(name: str, default: bool, help_text: str) -> bool:
    return _read(name, "on/off", default, help_text, _parse_bool)


def integer(name: str, default: int, help_text: str, *, minimum: int | None = None) -> int:
    def parse(raw: str) -> int:
        value = _parse_int(raw)
        if minimum is not None and value < minimum:
            raise ValueError(f"expected at least {minimum}")
        return value

    return _read(name, "integer", default, help_text, parse)


def strings(name: str, default: list[str], help_text: str) -> list[str]:
    return _read(name, "comma-separated list", list(default), help_text, _parse_list)


def json_value(name: str, default: Any, help_text: str) -> Any:
    return _read(name, "JSON", default, help_text, _parse_json)


def time(name: str, default: str, help_text: str) -> dt.time:
    return _read(name, "time HH:MM", _parse_time(default), help_text, _parse_time)


def url(name: str, default: str, help_text: str) -> str:
    return _read(name, "http(s) URL", default, help_text, _parse_url)


def path(name: str, default: Path | None, help_text: str, *, shown_default: str) -> Path | None:
    def parse(raw: str) -> Path | None:
        return Path(raw).expanduser() if raw.strip() else None

    return _read(name, "path", default, help_text, parse, shown_default=shown_default)


def database_url(name: str, help_text: str) -> dict[str, Any] | None:
    """The parsed database URL (dj-database-url), or None when it is unset."""
    import dj_database_url

    def parse(raw: str) -> dict[str, Any] | None:
        if not raw.strip():
            return None
        try:
            config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
        except Exception as exc:  # dj-database-url raises bare exceptions on unknown schemes
            raise ValueError(f"expected a database URL like postgres://… ({exc})") from None
        if not config.get("ENGINE"):
            raise ValueError("expected a database URL like postgres://…")
        return dict(config)

    return _read(name, "URL", None, help_text, parse, shown_default="SQLite in var/")


CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_url(name: str, default: str, help_text: str) -> dict[str, Any]:
    """Django's CACHES["default"] from a URL: locmem://, redis://…, rediss://…,
    memcached://host:port, dummy://."""

    def parse(raw: str) -> dict[str, Any]:
        parts = urlsplit(raw.strip())
        backend = CACHE_BACKENDS.get(parts.scheme)
        if backend is None:
            raise ValueError("expected " + ", ".join(f"{s}://" for s in CACHE_BACKENDS))
        config: dict[str, Any] = {"BACKEND": backend}
        if parts.scheme in {"redis", "rediss"}:
            if not parts.hostname:
                raise ValueError("expected redis://host:port/db")
            config["LOCATION"] = raw.strip()
        elif parts.scheme == "memcached":
            if not parts.hostname:
                raise ValueError("expected memcached://host:port")
            config["LOCATION"] = parts.netloc
        elif parts.scheme == "locmem":
            config["LOCATION"] = parts.netloc or "motcua"
        return config

    _declare(name, "URL", default, help_text)
    raw = os.environ.get(name, default)
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            ERR_BAD_VALUE.format(name=name, value=raw, source=_source(name), problem=exc)
        ) from exc


def settings_file_path(default: Path) -> Path | None:
    """The settings file to read: MOTCUA_ENV_FILE when set ("" for none), else `default`
    when it exists."""
    _declare(
        ENV_FILE_VARIABLE,
        "path",
        ".env in the checkout",
        'settings file read before the defaults ("" for none); production and tests read '
        "none unless this names one",
    )
    named = os.environ.get(ENV_FILE_VARIABLE)
    if named is None:
        return default if default.is_file() else None
    if not named.strip():
        return None
    chosen = Path(named).expanduser()
    if not chosen.is_file():
        raise ImproperlyConfigured(ERR_MISSING_FILE.format(variable=ENV_FILE_VARIABLE, path=named))
    return chosen


def read_settings_file(settings_file: Path) -> dict[str, tuple[str, int]]:
    """NAME -> (value, line) from a dotenv file; a line that is not NAME=value stops here."""
    from dotenv.parser import parse_stream

    values: dict[str, tuple[str, int]] = {}
    with settings_file.open(encoding="utf-8") as stream:
        for binding in parse_stream(stream):
            line = binding.original.line
            if binding.error:
                text = binding.original.string.strip()
                raise ImproperlyConfigured(
                    ERR_BAD_LINE.format(path=settings_file, line=line, text=text)
                )
            if binding.key is None:  # a comment or a blank line
                continue
            if binding.value is None:
                raise ImproperlyConfigured(
                    ERR_NO_VALUE.format(path=settings_file, line=line, name=binding.key)
                )
            values[binding.key] = (binding.value, line)
    return values


def load_settings_file(default: Path) -> Path | None:
    """Put the settings file's values into os.environ under those already set there (the
    environment overrides the file). Returns the file read, if any."""
    global _file_read
    chosen = settings_file_path(default)
    _from_file.clear()
    _file_read = chosen
    if chosen is None:
        return None
    for name, (value, line) in read_settings_file(chosen).items():
        if name not in os.environ:
            os.environ[name] = value
            _from_file[name] = line
    return chosen


def check_settings_file() -> None:
    """Refuse names in the settings file that no setting declares (a typo would otherwise be
    ignored silently). Called once every settings module has been imported."""
    if _file_read is None:
        return
    for name, (_value, line) in read_settings_file(_file_read).items():
        if name not in DECLARED:
            raise ImproperlyConfigured(
                ERR_UNKNOWN_KEY.format(path=_file_read, name=name, line=line)
            )


SETTINGS_FILE_HEADER = (
    "# motcua settings for this checkout (git-ignored), written by `make run`.\n"
    "# The environment overrides these; every variable is in docs/configuration.md.\n"
)


def _quoted(value: str) -> str:
    if value and all(ch.isalnum() or ch in "-_.:/@+,=%" for ch in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def write_settings_file(settings_file: Path, values: dict[str, str]) -> None:
    """Set `values` in the settings file, keeping every other line (a developer's own
    additions survive `make run`). Unknown names are refused, like when the file is read."""
    unknown = sorted(set(values) - set(DECLARED))
    if unknown:
        raise ImproperlyConfigured(
            ERR_UNKNOWN_KEY.format(path=settings_file, name=unknown[0], line="—")
        )
    lines = settings_file.read_text(encoding="utf-8").splitlines() if settings_file.exists() else []
    if lines:
        read_settings_file(settings_file)  # a broken file is reported, not rewritten blindly
    else:
        lines = SETTINGS_FILE_HEADER.splitlines()
    pending = dict(values)
    for index, line in enumerate(lines):
        name = line.split("=", 1)[0].strip().removeprefix("export ").strip()
        if name in pending and "=" in line and not line.lstrip().startswith("#"):
            lines[index] = f"{name}={_quoted(pending.pop(name))}"
    lines.extend(f"{name}={_quoted(value)}" for name, value in pending.items())
    settings_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """`python -m motcua.settings.env [--file PATH] NAME=value …`: set variables in the
    checkout's settings file (.env at the checkout's root unless --file names another),
    checking each name and value against its declaration first."""
    import importlib
    import sys

    target: Path | None = None
    if argv[:1] == ["--file"] and len(argv) > 1:
        target, argv = Path(argv[1]), argv[2:]
    pairs: dict[str, str] = {}
    for arg in argv:
        name, sep, value = arg.partition("=")
        if not sep:
            sys.stderr.write(f"motcua: {arg!r}: write NAME=value\n")
            return 2
        pairs[name] = value
    # Declare every variable (and parse the new values) by importing the base settings with
    # the new values in the environment and no file read.
    os.environ[ENV_FILE_VARIABLE] = ""
    os.environ.setdefault("MOTCUA_SECRET_KEY", "only-declaring-settings")
    os.environ.update(pairs)
    try:
        base = importlib.import_module("motcua.settings.base")
        declared = importlib.import_module("motcua.settings.env")  # not this __main__ copy
        target = target or base.BASE_DIR / ".env"
        declared.write_settings_file(target, pairs)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"motcua: {exc}\n")
        return 2
    sys.stdout.write(f"{target}: " + " ".join(f"{k}={v}" for k, v in pairs.items()) + "\n")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
