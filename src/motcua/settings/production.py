"""Production settings: secrets and hosts must come from the environment, cookies are secure,
demo mode is refused, and the site is expected behind a TLS reverse proxy (docs/operations.md).

No settings file is read unless MOTCUA_ENV_FILE names one: a server never picks up a
checkout's demo configuration."""

import os

os.environ.setdefault("MOTCUA_ENV_FILE", "")

from django.core.exceptions import ImproperlyConfigured

from motcua.settings.env import ERR_DEMO_IN_PRODUCTION

from .base import *  # noqa: F403
from .base import MOTCUA_DEMO_MODE, MOTCUA_SSL_REDIRECT, MOTCUA_TRUSTED_PROXIES

for required in ("MOTCUA_SECRET_KEY", "MOTCUA_ALLOWED_HOSTS", "MOTCUA_DATABASE_URL"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"{required} must be set in production.")
if MOTCUA_DEMO_MODE:
    raise ImproperlyConfigured(ERR_DEMO_IN_PRODUCTION)

MOTCUA_PRODUCTION = True
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = MOTCUA_SSL_REDIRECT
SECURE_HSTS_SECONDS = 31536000
# Only the trusted proxy's X-Forwarded-Proto reaches Django: `motcua serve` (waitress) drops
# the header from every other peer. Without a trusted proxy, nothing is believed.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if MOTCUA_TRUSTED_PROXIES else None
