"""Settings, read from the environment.

Without any environment this is the embedded default: DEBUG on, SQLite under the data
directory, a secret key generated once and kept there. Production is `DJANGO_DEBUG=0`, which
then requires `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS` and turns on secure cookies, HSTS
and the HTTPS redirect.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from execution2.core.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_data_dir() -> Path:
    # An editable install from the repository keeps its data beside the code, under var/.
    repo_root = PACKAGE_DIR.parent.parent
    if (repo_root / "pyproject.toml").exists():
        return repo_root / "var"
    return Path.home() / ".local" / "share" / "execution2"


DATA_DIR = Path(os.environ.get("EXECUTION2_DATA_DIR") or _default_data_dir()).resolve()
DEBUG = _env_bool("DJANGO_DEBUG", default=True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production mode)."
        )
    # Development: one key per data directory, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else ""
    ).split(",")
    if h.strip()
]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "execution2.core",
    "execution2.orgs",
    "execution2.accounts",
    "execution2.plans",
    "execution2.assessments",
    "execution2.network",
    "execution2.listening",
    "execution2.insights",
    "ninja",  # only for the vendored Swagger UI files of the API docs
    "execution2.api",
]

MIDDLEWARE = [
    # First: every later line of a request's logs carries its id; the load balancer's probes
    # are answered before the host and HTTPS checks, which they could not pass.
    "execution2.core.middleware.RequestIdMiddleware",
    "execution2.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "execution2.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "execution2.accounts.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "execution2.config.urls"
WSGI_APPLICATION = "execution2.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "execution2.orgs.context_processors.organizations",
            ],
        },
    }
]

_SQLITE_PATH = DATA_DIR / "execution2.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{_SQLITE_PATH}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while an import writes; IMMEDIATE avoids the
        # "database is locked" upgrade deadlock between two writers.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The name authenticator apps show beside the six digits.
OTP_TOTP_ISSUER = "Execution 2.0"

# The login rate limit counts in this cache: per process by default, shared through Redis when
# REDIS_URL is set (several server processes).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A Redis that is down fails a page in two seconds (a 503), not after minutes.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_VIEW = "execution2.core.views.rate_limited"
LOGIN_RATE = os.environ.get("EXECUTION2_LOGIN_RATE", "10/m")
# Requests per API token (django-ratelimit's rate syntax), counted in the same cache.
EXECUTION2_API_RATE = os.environ.get("EXECUTION2_API_RATE", "600/m")

# Tests set this so that submitted jobs run at once, in the submitting thread.
EXECUTION2_JOBS_IMMEDIATE = _env_bool("EXECUTION2_JOBS_IMMEDIATE", default=False)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# In development WhiteNoise serves straight from the apps' static folders; production serves
# the collected, hashed copies.
STATIC_ROOT = None if DEBUG else DATA_DIR / "static"
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads bigger than this are refused with a message rather than read.
EXECUTION2_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# Uploads up to this size are imported while the page waits (errors shown at once); bigger ones
# run as a job with a progress page. 2 MB is roughly 20,000 people.
EXECUTION2_IMPORT_INLINE_BYTES = 2 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# SMTP, for DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "execution2@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if _env_bool("DJANGO_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything the pages load is vendored, so the policy can be strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# `execution2 serve --production` runs gunicorn with this many processes of this many threads.
WEB_WORKERS = int(os.environ.get("EXECUTION2_WEB_WORKERS", "4"))
WEB_THREADS = int(os.environ.get("EXECUTION2_WEB_THREADS", "4"))
# A request running longer than this is cut off (nginx's proxy timeout is a little longer).
WEB_TIMEOUT_S = int(os.environ.get("EXECUTION2_WEB_TIMEOUT", "120"))

# JSON lines with the request id in production (for the journal or a log shipper), text in
# development; EXECUTION2_LOG_FORMAT=json|text overrides.
LOG_FORMAT = os.environ.get("EXECUTION2_LOG_FORMAT") or ("text" if DEBUG else "json")
LOGGING = logging_config(
    json_lines=LOG_FORMAT == "json",
    level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
)
