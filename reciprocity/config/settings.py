"""Settings for Reciprocity, all read from the environment; the defaults run on a laptop.

RECIPROCITY_DATA_DIR  where the SQLite file, the generated secret key and static files live (./var)
DATABASE_URL          postgres://user:password@host:port/name for a clinic deployment; unset = SQLite
SECRET_KEY            or SECRET_KEY_FILE; otherwise generated into the data directory (mode 0600)
SECRET_KEY_FALLBACKS  or SECRET_KEY_FALLBACKS_FILE: earlier secret keys, still accepted for what they signed
ENCRYPTION_KEYS       "id:base64key,…" (or ENCRYPTION_KEYS_FILE): the keys free text is encrypted with, the first
                      for writing; otherwise encryption.keys is generated into the data directory (reciprocity/vault)
DEBUG                 off unless set to a true value
ALLOWED_HOSTS         comma-separated host names (default: 127.0.0.1,localhost)
CSRF_TRUSTED_ORIGINS  comma-separated origins (https://host) allowed to post forms, beyond ALLOWED_HOSTS
SECURE_COOKIES        send cookies only over HTTPS (default: off; on in the production profile)
TIME_ZONE             the default time zone of new users (default: UTC)
IDLE_TIMEOUT_MINUTES  sign out a session unused for this long (default: 30)
TRUSTED_PROXIES       how many reverse proxies stand in front and append to X-Forwarded-For (default: 0); the
                      sign-in back-off counts failures per client address, which it reads from that header
EMAIL_BACKEND         how password-reset e-mail is sent (default: printed to the console);
                      e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT,
                      EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS
DEFAULT_FROM_EMAIL    the sender of that e-mail (default: reciprocity@localhost)
SITE_URL              the address people open the app at, for links in e-mailed reminders (default:
                      http://127.0.0.1:8000 in development, none in production: no digest is sent without it)

RECIPROCITY_PROFILE   "development" (the default) or "production". The production profile is for a server
                      reached over HTTPS; `reciprocity check --deploy` reports nothing in it. It requires:
                        ALLOWED_HOSTS set explicitly (no default);
                        DEBUG off (a true value stops start-up);
                        a strong SECRET_KEY or SECRET_KEY_FILE: at least 50 characters, 5 of them different,
                        not starting "django-insecure-" (the generated file qualifies);
                      and it turns on, each overridable by its variable:
SECURE_SSL_REDIRECT   redirect plain HTTP to HTTPS (default: on in production, off in development)
SECURE_PROXY_SSL_HEADER  the header a TLS-terminating proxy sets to "https", e.g. X-Forwarded-Proto; set it
                      only if the proxy always overwrites that header. Unset (the default): Django trusts only
                      the request's own scheme, which `reciprocity serve` (gunicorn) already takes from
                      X-Forwarded-Proto when the proxy connects from 127.0.0.1.
SECURE_HSTS_SECONDS   Strict-Transport-Security max-age (default: 31536000, one year, in production; 0 in
                      development, which sends no HSTS header)
SECURE_HSTS_INCLUDE_SUBDOMAINS  add includeSubDomains (default: on)
SECURE_HSTS_PRELOAD   add preload (default: on in production). Turn it off if the domain is not to be
                      submitted to the browsers' preload list; `check --deploy` then warns security.W021.
Whatever the profile, every response carries the Content-Security-Policy, Permissions-Policy,
Cross-Origin-Opener-Policy, Referrer-Policy, X-Content-Type-Options and X-Frame-Options headers
(reciprocity/lib/security.py); session and CSRF cookies are HttpOnly.
"""

import importlib.util
import os
import re
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from reciprocity.config.environment import data_dir, env_bool, env_int, env_secret, env_value

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir("RECIPROCITY_DATA_DIR", "var")

PROFILE = os.environ.get("RECIPROCITY_PROFILE", "").strip() or "development"
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured(f"RECIPROCITY_PROFILE must be development or production; it is {PROFILE!r}.")
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in the production profile: it would show tracebacks to anyone.")
SECRET_KEY = env_secret("SECRET_KEY", DATA_DIR / "secret_key")
# Earlier secret keys, still accepted for what they signed (sign-ins, links in e-mails) while a new SECRET_KEY
# takes over: comma-separated in SECRET_KEY_FALLBACKS, one a line in SECRET_KEY_FALLBACKS_FILE (so a key may
# hold a comma there). Word search needs `reciprocity reindex` after a change.
_fallbacks = env_value("SECRET_KEY_FALLBACKS")
SECRET_KEY_FALLBACKS = [key.strip() for key in (
    _fallbacks.splitlines() if os.environ.get("SECRET_KEY_FALLBACKS_FILE") else _fallbacks.split(",")
) if key.strip()]  # fmt: skip
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for the production profile: use at least 50 random characters, for example "
        "the output of `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
if PRODUCTION and not os.environ.get("ALLOWED_HOSTS", "").strip():
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the server's host names in the production profile.")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves its own Swagger UI files, so the API docs need no CDN
    "template_partials.apps.SimpleAppConfig",
    # Our apps from the ground up, layer by layer (docs/architecture.md).
    "reciprocity.vault",
    "reciprocity.practice",
    "reciprocity.audit",
    "reciprocity.clients",
    "reciprocity.therapy",
    "reciprocity.measures",
    "reciprocity.voice",
    "reciprocity.checkins",
    "reciprocity.repertoire",
    "reciprocity.development",
    "reciprocity.prompts",
    "reciprocity.recall",
    "reciprocity.insights",
    "reciprocity.sharing",
    "reciprocity.peers",
    "reciprocity.reports",
    "reciprocity.exports",
    "reciprocity.imports",
    "reciprocity.calendars",
    "reciprocity.demo",
    "reciprocity.today",
    "reciprocity.reminders",
    "reciprocity.offline",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "reciprocity.config.health.middleware",  # GET /healthz, answered before the host check and the sign-in
    "django.middleware.security.SecurityMiddleware",
    "reciprocity.lib.security.security_headers",  # Content-Security-Policy, Permissions-Policy
    "reciprocity.lib.uploads.refuse_oversized_bodies",  # 413 before a byte of a body too large is read
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the browser's Accept-Language (docs/languages.md)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "reciprocity.practice.middleware.user_language",  # the signed-in person's own choice outranks the browser's
    "django_htmx.middleware.HtmxMiddleware",
    "reciprocity.practice.middleware.htmx_login_redirect",
    # Every page needs a signed-in user unless its view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reciprocity.practice.middleware.user_time_zone",
    "reciprocity.practice.middleware.idle_timeout",
    # Supervisors and directors of a shared practice reach nothing until two-factor sign-in is set up.
    "reciprocity.practice.middleware.TwoFactorRequired",
    # Last, so that a page another middleware turned away is not recorded as seen.
    "reciprocity.audit.middleware.AdminAccess",  # every admin page about someone else's data is recorded
]

ROOT_URLCONF = "reciprocity.config.urls"
WSGI_APPLICATION = "reciprocity.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reciprocity.practice.context_processors.roles",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

SQLITE_WAL_LIMIT = 64 * 1024 * 1024  # bytes of write-ahead log kept on disk after a checkpoint (SQLite only)
if database_url := env_value("DATABASE_URL"):
    try:
        DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60, conn_health_checks=True)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}.") from None
    if database_password := env_value("DATABASE_PASSWORD"):  # kept out of the URL, e.g. in a container secret
        DATABASES["default"]["PASSWORD"] = database_password
else:
    DATABASES = {
        "default": {
            "ENGINE": "reciprocity.lib.sqlite",  # Django's, whose kept connections notice a replaced file
            "NAME": DATA_DIR / "reciprocity.sqlite3",
            # Each server thread keeps its connection between requests, as on PostgreSQL, rather than opening
            # the file and setting it up again for every request; before a request uses it, it is checked to
            # be still open on the database's file (reciprocity/lib/sqlite/base.py).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Tests run in memory, Django's default for SQLite, which pytest-django knows by the backend's name.
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                # WAL lets readers and one writer work at once; a writer that finds the database
                # busy waits up to `timeout` seconds instead of failing, and IMMEDIATE takes the
                # write lock at the start of a transaction so it never deadlocks half-way.
                "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1, maximum=600),
                "transaction_mode": "IMMEDIATE",
                # After a large write (an import, a re-index) the write-ahead log is cut back to this size at
                # the next write after a checkpoint; without a limit it keeps its largest size for good.
                "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA journal_size_limit={SQLITE_WAL_LIMIT}",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "practice.User"
LOGIN_URL = "practice:login"
LOGIN_REDIRECT_URL = "today:today"
LOGOUT_REDIRECT_URL = "practice:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "reciprocity.practice.passwords.BreachedPasswordValidator"},
]
IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 30, minimum=1, maximum=24 * 60)
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0, maximum=5)
# Speak instead of typing on the reflection form, transcribed here (docs/voice.md); on when the engine is installed.
VOICE_INPUT = env_bool("VOICE_INPUT", importlib.util.find_spec("pocketsphinx") is not None)
CALENDAR_FETCH_PRIVATE_ADDRESSES = env_bool("CALENDAR_FETCH_PRIVATE_ADDRESSES", False)  # docs/calendar.md
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "reciprocity@localhost"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost").strip()
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "").strip()
EMAIL_HOST_PASSWORD = env_value("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or ("" if PRODUCTION else "http://127.0.0.1:8000")
if SITE_URL and not re.fullmatch(("https" if PRODUCTION else "https?") + r"://[\w.:\[\]-]+(/[^\s?#]*)?", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL must be an address such as https://clinic.example.org; it is {SITE_URL!r}.")

# English is the default; Spanish and German are complete on the converted pages (docs/languages.md).
# British English stays the code, so dates keep their day-month order; an "en-US" browser gets it too.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("es", "Español"), ("de", "Deutsch")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE must be an IANA time zone such as Europe/Berlin; it is {TIME_ZONE!r}.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or DATA_DIR / "static")  # an image collects at build
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Pages link only to the hashed names, so the unhashed copies are not kept (nor compressed). Source maps
# (5.3 MB, read only by a browser's developer tools) are served as they are: Brotli on the API docs' two
# maps took 8.3 s of CPU a copy, about half of the 35 s that collecting took when both copies were kept.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Scripts never read a cookie: htmx takes the CSRF token from the page's <meta name="csrf-token">.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
CSRF_FAILURE_VIEW = "reciprocity.config.errors.csrf_failure"

# Background work (embedding entries for recall). "immediate" runs a task in the request that enqueued
# it, which suits one person on a laptop; a clinic deployment sets "database" and runs
# `reciprocity worker` beside the server.
TASK_RUNNER = os.environ.get("TASK_RUNNER", "immediate").strip()
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASK_RUNNER not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_RUNNER must be immediate or database; it is {TASK_RUNNER!r}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_RUNNER], "QUEUES": ["default"]}}

# Uploads stay in memory, never in a temporary file in clear (lib/uploads.py); each form has its own limit.
FILE_UPLOAD_HANDLERS = ["reciprocity.lib.uploads.InMemoryUpload"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Query strings and the tokens in a path never reach a log (config/access_log.py): Django's request loggers
    # write through these filtered handlers only (its own console handler, for DEBUG, is left out).
    "filters": {"private_paths": {"()": "reciprocity.config.access_log.PrivatePaths"}},
    "formatters": {
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["private_paths"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["private_paths"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "django": {"handlers": [], "level": "INFO"},  # to the root's filtered console
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
