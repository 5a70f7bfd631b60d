"""Absolute public addresses: links that leave the site (SMS, email, printed slips, QR codes)
must work from a phone, so they are built on `settings.MOTCUA_PUBLIC_URL`, never relative."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (e.g. "/tra-cuu/?code=…") on the public address the citizens reach."""
    if not path.startswith("/"):
        path = "/" + path
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"
