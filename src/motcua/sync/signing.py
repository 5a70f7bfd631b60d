"""The shared-secret signature on a delivery, the same on both ends of the wire."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNATURE_HEADER = "X-Motcua-Signature"
EVENT_ID_HEADER = "X-Motcua-Event-Id"
SIGNATURE_PREFIX = "sha256="

ERR_UNSIGNED = (
    "MOTCUA_NATIONAL_PORTAL_URL is set but MOTCUA_NATIONAL_PORTAL_SECRET is empty: set the "
    "secret agreed with the national portal."
)


def portal_secret() -> str:
    """The configured secret; in demo mode, one derived from SECRET_KEY when none is set (so
    the demo's worker and receiver agree without configuration). Outside demo mode a missing
    secret is an error: an unsigned delivery would be refused anyway."""
    if settings.MOTCUA_NATIONAL_PORTAL_SECRET:
        return settings.MOTCUA_NATIONAL_PORTAL_SECRET
    if settings.MOTCUA_DEMO_MODE:
        return hmac.new(
            settings.SECRET_KEY.encode(), b"national-portal", hashlib.sha256
        ).hexdigest()
    raise ImproperlyConfigured(ERR_UNSIGNED)


def signature(body: bytes, secret: str) -> str:
    """The header value: HMAC-SHA256 of the exact body bytes."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str | None, secret: str) -> bool:
    return bool(header) and hmac.compare_digest(signature(body, secret), header)
