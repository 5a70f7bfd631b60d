"""Settings shared by every environment; everything that varies comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Demo mode makes the fixed demo accounts usable; it is off unless asked for.
MOTCUA_DEMO_MODE = env_bool("MOTCUA_DEMO")
DEBUG = env_bool("MOTCUA_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("MOTCUA_SECRET_KEY")
    if key:
        return key
    if not (MOTCUA_DEMO_MODE or DEBUG):
        raise ImproperlyConfigured("MOTCUA_SECRET_KEY must be set outside demo mode.")
    # A demo machine keeps one generated key so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "motcua.common",
    "motcua.org",
    "motcua.audit",
    "motcua.catalog",
    "motcua.workdays",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.portal",
    "motcua.feedback",
    "motcua.surveys",
    "motcua.indices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.common.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.common.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.common.context_processors.site",
            ],
        },
    }
]


def _database() -> dict:
    url = os.environ.get("MOTCUA_DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.postgresql":
            config.setdefault("OPTIONS", {})
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("MOTCUA_SQLITE_PATH", str(VAR_DIR / "motcua.sqlite3")),
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two officers' writes queue
            # instead of failing half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["motcua.org.backends.MotcuaBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# After this many failed logins for one username within the lockout window, that username is
# refused for the window's length, even with the right password.
MOTCUA_LOGIN_MAX_FAILURES = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES", "5"))
MOTCUA_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_MINUTES", "15"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get(
    "MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_FROM_EMAIL", "motcua@localhost")

# The province this installation serves (Hải Phòng by default: code 31).
MOTCUA_PROVINCE_CODE = int(os.environ.get("MOTCUA_PROVINCE_CODE", "31"))
MOTCUA_SITE_NAME = os.environ.get("MOTCUA_SITE_NAME", "Cổng dịch vụ công một cửa")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# --- settings added by security
# Hard cap on one request's body (bytes); larger requests get 413 before anything is read.
MOTCUA_MAX_REQUEST_BYTES = int(os.environ.get("MOTCUA_MAX_REQUEST_BYTES", str(64 * 1024 * 1024)))
# Form fields and JSON bodies (not files) held in memory, bytes; fits a 20 MB base64 result.
MOTCUA_MAX_FORM_BYTES = int(os.environ.get("MOTCUA_MAX_FORM_BYTES", str(30 * 1024 * 1024)))
# Uploaded files larger than this (bytes) are spooled to a temporary file instead of memory.
MOTCUA_FILE_MEMORY_BYTES = int(os.environ.get("MOTCUA_FILE_MEMORY_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_MAX_FORM_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_FILE_MEMORY_BYTES
# The edge checks (body cap, control characters) run before CSRF and any view reads the body.
MIDDLEWARE.insert(
    MIDDLEWARE.index("motcua.common.middleware.VietnameseFirstLocaleMiddleware") + 1,
    "motcua.common.edge.InputSafetyMiddleware",
)
