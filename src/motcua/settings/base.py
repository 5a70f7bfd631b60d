"""Settings shared by every environment; everything that varies comes from the environment
(or the checkout's settings file, see motcua.settings.env), declared in one place per variable."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.settings import env

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
# `make run` writes .env in the checkout; the process environment overrides it.
MOTCUA_ENV_FILE = env.load_settings_file(BASE_DIR / ".env")
env.derived("MOTCUA_ENV_FILE", "(the Django setting) the settings file actually read, or None")

VAR_DIR = env.path(
    "MOTCUA_VAR_DIR",
    BASE_DIR / "var",
    "directory of the SQLite database, media, static files and the demo secret key",
    shown_default="var/ in the checkout",
) or (BASE_DIR / "var")

# Demo mode makes the fixed demo accounts usable; it is off unless asked for.
MOTCUA_DEMO_MODE = env.boolean(
    "MOTCUA_DEMO", False, "demo mode: the demo accounts and the test payment gateway work"
)
env.derived("MOTCUA_DEMO_MODE", "on when MOTCUA_DEMO is on (never under settings.production)")
DEBUG = env.boolean("MOTCUA_DEBUG", False, "Django's DEBUG (never in production)")


def _secret_key() -> str:
    key = env.string("MOTCUA_SECRET_KEY", "", "Django's SECRET_KEY; required outside demo mode")
    if key:
        return key
    if not (MOTCUA_DEMO_MODE or DEBUG):
        raise ImproperlyConfigured(
            "MOTCUA_SECRET_KEY must be set outside demo mode (or run `make run` once in this "
            "checkout to set up demo mode)."
        )
    # A demo machine keeps one generated key so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.strings(
    "MOTCUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "host names the site answers to"
)
# The public base URL: absolute links in SMS, email and printed receipts, and a trusted origin.
MOTCUA_PUBLIC_URL = env.url(
    "MOTCUA_PUBLIC_URL",
    "http://127.0.0.1:8000",
    "public base URL for absolute links (SMS, email, receipts); also a trusted CSRF origin",
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CSRF_TRUSTED_ORIGINS = env.strings(
    "MOTCUA_CSRF_TRUSTED_ORIGINS", [], "further origins allowed to POST (scheme://host[:port])"
) + ([_origin(MOTCUA_PUBLIC_URL)] if MOTCUA_PUBLIC_URL else [])

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
    "motcua.sync",
    "motcua.facts",  # counts per day, kept by event recorders; read by the indices
    "motcua.indices",
    "motcua.dashboards",  # leaders' dashboards, early warnings and reports on the task worker
    "django_tasks",
    "motcua.dashboards.task_app.TaskQueueConfig",  # django_tasks_db, its admin named in Vietnamese
    "motcua.demo",  # the demo world and the history generator: the top layer
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
    config = env.database_url(
        "MOTCUA_DATABASE_URL", "database URL (postgres://user:password@host:5432/motcua)"
    )
    sqlite_path = env.path(
        "MOTCUA_SQLITE_PATH",
        None,
        "SQLite file when MOTCUA_DATABASE_URL is unset",
        shown_default="var/motcua.sqlite3",
    )
    if config is not None:
        if config["ENGINE"] == "django.db.backends.postgresql":
            config.setdefault("OPTIONS", {})
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_path or VAR_DIR / "motcua.sqlite3"),
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
LOGIN_REDIRECT_URL = "role_home"
LOGOUT_REDIRECT_URL = "home"
# After this many failed logins for one username within the lockout window, that username is
# refused for the window's length, even with the right password.
MOTCUA_LOGIN_MAX_FAILURES = env.integer(
    "MOTCUA_LOGIN_MAX_FAILURES", 5, "failed logins of one username before it is locked", minimum=1
)
MOTCUA_LOGIN_LOCKOUT_MINUTES = env.integer(
    "MOTCUA_LOGIN_LOCKOUT_MINUTES", 15, "minutes a locked username stays locked", minimum=1
)

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
MEDIA_ROOT = env.path(
    "MOTCUA_MEDIA_ROOT",
    None,
    "uploaded documents, results and evidence",
    shown_default="var/media",
) or (VAR_DIR / "media")
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

EMAIL_BACKEND = env.string(
    "MOTCUA_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    "Django email backend (dotted path)",
)
DEFAULT_FROM_EMAIL = env.string("MOTCUA_FROM_EMAIL", "motcua@localhost", "sender of emails")

# Background work (reports, scheduled mail, early warnings): Django's tasks framework on the
# database queue, run by `motcua task-worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Early warnings (dashboards.warnings).
MOTCUA_WARNING_WORKING_HOURS = env.integer(
    "MOTCUA_WARNING_WORKING_HOURS",
    8,
    "warn of dossiers and petitions due within this many working hours",
    minimum=1,
)
MOTCUA_WARNING_SCORE_DROP = env.integer(
    "MOTCUA_WARNING_SCORE_DROP",
    5,
    "warn of agencies whose service index fell by more than this many points",
    minimum=0,
)
MOTCUA_WARNING_HOUR = env.integer(
    "MOTCUA_WARNING_HOUR", 7, "local hour at which the daily early warnings are mailed", minimum=0
)

# The province this installation serves (Hải Phòng by default: code 31).
MOTCUA_PROVINCE_CODE = env.integer(
    "MOTCUA_PROVINCE_CODE", 31, "the province served (national code; 31 = Hải Phòng)"
)
MOTCUA_SITE_NAME = env.string(
    "MOTCUA_SITE_NAME", "Cổng dịch vụ công một cửa", "site name in page titles"
)

MOTCUA_LOG_LEVEL = env.string(
    "MOTCUA_LOG_LEVEL",
    "INFO",
    "log level",
    choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
)
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": MOTCUA_LOG_LEVEL},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# The shared cache: the calendar version, rate limits and rendered forms live here. Local
# memory is per process; several `serve` processes need redis:// (or memcached://).
CACHES = {
    "default": env.cache_url(
        "MOTCUA_CACHE_URL",
        "locmem://",
        "cache: locmem://, redis://host:6379/0, rediss://…, memcached://host:11211, dummy://",
    )
}

# Settings read by the apps, declared here once (they used to be getattr() with a default).
MOTCUA_OFFICE_OPENS = env.time("MOTCUA_OFFICE_OPENS", "07:30", "office opening time")
MOTCUA_OFFICE_CLOSES = env.time("MOTCUA_OFFICE_CLOSES", "17:00", "office closing time")
MOTCUA_FORM_TEMPLATES_DIR = env.path(
    "MOTCUA_FORM_TEMPLATES_DIR",
    None,
    "directory of replacement printed-form layouts, searched before the built-in ones",
    shown_default="—",
)
MOTCUA_SMS_GATEWAY = env.string(
    "MOTCUA_SMS_GATEWAY",
    "motcua.common.sms.LogSmsGateway",
    "SMS gateway class (dotted path, with send(phone, text)); the default only logs",
)
MOTCUA_OPEN311_CONTACT = env.string(
    "MOTCUA_OPEN311_CONTACT", DEFAULT_FROM_EMAIL, "contact in Open311 discovery"
)
MOTCUA_KIOSK_THANKS_SECONDS = env.integer(
    "MOTCUA_KIOSK_THANKS_SECONDS", 10, "seconds the rating kiosk shows its thanks", minimum=1
)
MOTCUA_THROTTLES = env.json_value(
    "MOTCUA_THROTTLES",
    {},
    'rate limits per scope, e.g. {"track": {"limit": 30, "window": 600}}; 0 = no limit',
)
MOTCUA_THROTTLE_EXEMPT = env.strings(
    "MOTCUA_THROTTLE_EXEMPT",
    ["127.0.0.1", "::1"],
    "client addresses never rate-limited (health checks on the host)",
)
MOTCUA_PAYMENT_GATEWAYS = env.json_value(
    "MOTCUA_PAYMENT_GATEWAYS",
    None,
    "payment gateways (docs/payments.md); unset: the test gateway, in demo mode only",
)
MOTCUA_TEST_GATEWAY_SECRET = env.string(
    "MOTCUA_TEST_GATEWAY_SECRET", "", "the test gateway's signing secret (derived if unset)"
)
MOTCUA_IDENTITY_PROVIDERS = env.json_value(
    "MOTCUA_IDENTITY_PROVIDERS", {}, "identity providers (docs/identity.md)"
)

# Behind a reverse proxy: the proxy's address (waitress trusts X-Forwarded-For/-Proto/-Host/
# -Port only from it) and how many proxies append to X-Forwarded-For.
MOTCUA_TRUSTED_PROXIES = env.strings(
    "MOTCUA_TRUSTED_PROXIES",
    [],
    "address of the reverse proxy whose X-Forwarded-* headers are believed",
)
MOTCUA_TRUSTED_PROXY_COUNT = env.integer(
    "MOTCUA_TRUSTED_PROXY_COUNT",
    1,
    "proxies in front of motcua that append to X-Forwarded-For",
    minimum=1,
)
# `motcua serve` listens here unless --host/--port say otherwise.
MOTCUA_HOST = env.string("MOTCUA_HOST", "127.0.0.1", "address `motcua serve` listens on")
MOTCUA_PORT = env.integer("MOTCUA_PORT", 8000, "port `motcua serve` listens on", minimum=1)
MOTCUA_SSL_REDIRECT = env.boolean(
    "MOTCUA_SSL_REDIRECT", True, "under settings.production: redirect plain HTTP to HTTPS"
)
# True only under settings.production (which refuses demo mode); demo loaders refuse there.
MOTCUA_PRODUCTION = False
env.derived("MOTCUA_PRODUCTION", "True under settings.production; demo loader commands refuse")
# A dossier left waiting for payment this many hours is closed as withdrawn (unpaid).
MOTCUA_PAYING_EXPIRY_HOURS = env.integer(
    "MOTCUA_PAYING_EXPIRY_HOURS", 48, "hours before an unpaid online dossier expires", minimum=1
)
# Synchronisation to the national public service portal (docs/operations.md): every dossier
# change queues in the outbox; `motcua sync-worker` delivers it, signed, until acknowledged.
MOTCUA_NATIONAL_PORTAL_URL = env.url(
    "MOTCUA_NATIONAL_PORTAL_URL",
    "",
    "where `motcua sync-worker` POSTs dossier changes; empty: nothing is sent, they queue",
)
MOTCUA_NATIONAL_PORTAL_SECRET = env.string(
    "MOTCUA_NATIONAL_PORTAL_SECRET",
    "",
    "shared secret of the HMAC-SHA256 signature on each delivery (derived in demo mode if unset)",
)
MOTCUA_NATIONAL_PORTAL_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_NATIONAL_PORTAL_TIMEOUT_SECONDS",
    10,
    "seconds the worker waits for the portal's answer to one delivery",
    minimum=1,
)
MOTCUA_NATIONAL_PORTAL_LEASE_SECONDS = env.integer(
    "MOTCUA_NATIONAL_PORTAL_LEASE_SECONDS",
    300,
    "seconds a claimed batch stays with its worker before another may take it (a killed worker)",
    minimum=1,
)
MOTCUA_NATIONAL_PORTAL_BACKOFF_SECONDS = env.integer(
    "MOTCUA_NATIONAL_PORTAL_BACKOFF_SECONDS",
    30,
    "wait before the first retry of a refused delivery; doubles with each attempt",
    minimum=1,
)
MOTCUA_NATIONAL_PORTAL_BACKOFF_MAX_SECONDS = env.integer(
    "MOTCUA_NATIONAL_PORTAL_BACKOFF_MAX_SECONDS",
    3600,
    "longest wait between two attempts of one delivery",
    minimum=1,
)

# --- settings added by ui
# django-axes does the login lockout: failures are counted per username *and* client address,
# so a stranger's wrong guesses lock only the stranger's address, never the official's own.
INSTALLED_APPS += ["motcua.org.lockout_app.LoginLockoutConfig"]  # django-axes
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["motcua.org.lockout.LockoutBackend", *AUTHENTICATION_BACKENDS]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Read MOTCUA_LOGIN_MAX_FAILURES / MOTCUA_LOGIN_LOCKOUT_MINUTES at each attempt.
AXES_FAILURE_LIMIT = "motcua.org.lockout.failure_limit"
AXES_COOLOFF_TIME = "motcua.org.lockout.cool_off"
AXES_USERNAME_CALLABLE = "motcua.org.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "motcua.common.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "motcua.org.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True  # a success (password or identity provider) clears the count
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends on time
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # not a line per successful login
LOGGING["loggers"]["pikepdf"] = {"level": "WARNING"}  # its import logs a line on stderr
# Days an API token stays valid after it is created.
MOTCUA_API_TOKEN_DAYS = env.integer(
    "MOTCUA_API_TOKEN_DAYS", 30, "days an API token stays valid after it is created", minimum=1
)
# --- settings added by security
# Hard cap on one request's body (bytes); larger requests get 413 before anything is read.
MOTCUA_MAX_REQUEST_BYTES = env.integer(
    "MOTCUA_MAX_REQUEST_BYTES",
    64 * 1024 * 1024,
    "hard cap on one request body, bytes (413 above)",
    minimum=1024,
)
# Form fields and JSON bodies (not files) held in memory, bytes; fits a 20 MB base64 result.
MOTCUA_MAX_FORM_BYTES = env.integer(
    "MOTCUA_MAX_FORM_BYTES",
    30 * 1024 * 1024,
    "form fields and JSON bodies held in memory, bytes",
    minimum=1024,
)
# Uploaded files larger than this (bytes) are spooled to a temporary file instead of memory.
MOTCUA_FILE_MEMORY_BYTES = env.integer(
    "MOTCUA_FILE_MEMORY_BYTES",
    1024 * 1024,
    "uploads above this many bytes spool to disk",
    minimum=1024,
)
DATA_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_MAX_FORM_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_FILE_MEMORY_BYTES
# The edge checks (body cap, control characters) run before CSRF and any view reads the body.
MIDDLEWARE.insert(
    MIDDLEWARE.index("motcua.common.middleware.VietnameseFirstLocaleMiddleware") + 1,
    "motcua.common.edge.InputSafetyMiddleware",
)
