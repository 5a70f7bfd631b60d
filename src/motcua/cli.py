"""The `motcua` command: Django's management commands under one name (serve, demo, token, …).

Run from a checkout, it reads the checkout's settings file (`.env`, written by `make run`), so
every command runs in the mode `make run` set up, against the same database."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["motcua", *argv])
    if len(args) == 1:
        args.append("help")
    # `motcua catalog-import` reads better than Django's `catalog_import`; accept both.
    args[1] = args[1].replace("-", "_") if not args[1].startswith("-") else args[1]
    try:
        # Load the settings (and the settings file) first, so a bad value stops here with
        # one line naming it instead of Django's "Unknown command" and a traceback.
        settings.INSTALLED_APPS  # noqa: B018
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"motcua: {exc}\n")
        raise SystemExit(2) from None
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
