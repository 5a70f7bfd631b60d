"""Write the table of every MOTCUA_* variable into docs/configuration.md, from the
declarations in motcua/settings/base.py (`--check` only says whether it is current)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def main(argv: list[str]) -> int:
    os.environ["MOTCUA_ENV_FILE"] = ""  # the defaults, not this checkout's .env
    os.environ.setdefault("MOTCUA_SECRET_KEY", "only-declaring-settings")
    import motcua.settings.base  # noqa: F401  (declares every variable)
    from motcua.settings import env

    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(env.TABLE_START, 1)
    after = rest.split(env.TABLE_END, 1)[1]
    updated = before + env.settings_table() + after
    if "--check" in argv:
        if updated != text:
            print(f"{DOC} is out of date: run python scripts/settings_table.py")
            return 1
        return 0
    DOC.write_text(updated, encoding="utf-8")
    print(f"{DOC}: {len(env.DECLARED)} variables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
