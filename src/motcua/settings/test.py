"""Settings for the test suite: the same as base, with fast hashing and an in-memory mailbox.

The checkout's settings file (.env, written by `make run`) is not read, so a developer's demo
configuration cannot leak into `make test`; MOTCUA_ENV_FILE names a file when a test wants one,
and the process environment (e.g. MOTCUA_DATABASE_URL from scripts/test.sh) still applies."""

import os
import tempfile

os.environ.setdefault("MOTCUA_ENV_FILE", "")
os.environ.setdefault("MOTCUA_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-test-"))

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# The suite acts as the demo world's named users; tests of demo-off behaviour override this.
MOTCUA_DEMO_MODE = True
