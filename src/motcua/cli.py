"""The `motcua` command: Django's management commands under one name (serve, demo, token, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["motcua", *argv])
    if len(args) == 1:
        args.append("help")
    # `motcua catalog-import` reads better than Django's `catalog_import`; accept both.
    args[1] = args[1].replace("-", "_") if not args[1].startswith("-") else args[1]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
