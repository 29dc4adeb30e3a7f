"""Django settings, read from environment variables (see .env.example)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from presence.env import EnvReader

env = EnvReader()

PACKAGE_DIR = Path(__file__).resolve().parent
PRESENCE_ENV = env.get_choice("PRESENCE_ENV", "development", ("development", "test", "production"))
DATA_DIR = Path(env.get_str("PRESENCE_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env.get_bool("DEBUG", PRESENCE_ENV == "development")
if PRESENCE_ENV == "production" and DEBUG:
    # Debug pages show settings, code and data to anyone who triggers an error.
    raise ImproperlyConfigured(
        "Environment variable DEBUG is on but PRESENCE_ENV=production: production never runs with "
        "DEBUG on; unset DEBUG or set DEBUG=0."
    )

if PRESENCE_ENV == "production":
    SECRET_KEY = env.get_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY must be at least 32 characters in production."
        )
else:
    SECRET_KEY = env.get_str("SECRET_KEY", "insecure-development-key-never-use-in-production")

ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS", [] if PRESENCE_ENV == "production" else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # /api/docs then uses the Swagger UI files packaged with django-ninja, not a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "presence.core",
    "presence.org",
]
# The domain apps, always installed, in dependency order (docs/architecture.md; `make lint` keeps it).
DOMAIN_APPS = [
    "presence.portfolio",
    "presence.results",
    "presence.staffing",
    "presence.engagement",
    "presence.resilience",
    "presence.dashboard",
    "presence.mandates",
    "presence.reports",
    "presence.council",
    "presence.interchange",
]
INSTALLED_APPS += DOMAIN_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Production serves the collected static files itself; development's server serves the sources.
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRESENCE_ENV == "production" else []),
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "presence.core.middleware.RefuseNulInPath",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "presence.core.auth.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a refused login of a locked-out account or address into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "presence.urls"
WSGI_APPLICATION = "presence.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "presence.core.context_processors.site",
            ],
            # In every template: `unlocalize` (years and identifiers, which are not quantities) and the
            # one way to write a number or a date (`number`, `day`, `moment`; core/formatting.py).
            "builtins": ["django.templatetags.l10n", "presence.core.templatetags.formatting"],
        },
    },
]

DATABASES = {"default": env.get_database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'presence.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database needs its folder; a fresh checkout has none yet.
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
# Live job progress is written through a second connection to the same database, in autocommit, so
# every app server sees it while the job's own transaction is open (interchange/progress.py). SQLite
# admits one writer at a time: there the figures go to the default cache instead.
PROGRESS_DATABASE = ""
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # No JIT compilation: PostgreSQL's JIT spent 1.9 to 7.2 s compiling the staffing-state query at
    # 100x, more than the query ran (docs/benchmarks.md); this application's queries are short.
    # No parallel workers either: starting them cost more than they saved on every page measured at
    # 100x (the API's reviews list 61 -> 33 ms, the region page 214 -> 197 ms without them), and a
    # busy server has no idle core to give them.
    options: dict[str, Any] = dict(cast("dict[str, Any]", DATABASES["default"].get("OPTIONS") or {}))
    options["options"] = (
        f"{options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather=0".strip()
    )
    DATABASES["default"]["OPTIONS"] = options
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    PROGRESS_DATABASE = "progress"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache: this process's memory by default; Redis (redis://host:port/db) when several app servers
# should share cached figures and live job progress. Cached figures are keyed by the data version every
# write changes (core/figures.py), so they are never stale; FIGURE_CACHE_SECONDS only bounds memory
# (0 turns the figure cache off).
CACHES = {"default": env.get_cache("CACHE_URL")}
FIGURE_CACHE_SECONDS = env.get_int("FIGURE_CACHE_SECONDS", 3600, minimum=0, maximum=30 * 24 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one account, or from
# one address, logins of that account or from that address are refused for LOGIN_LOCKOUT_MINUTES
# (an administrator can lift it sooner: `presence axes_reset_username NAME` or the admin's
# "Access attempts"). The address is the connection's, or the one TRUSTED_PROXIES proxies report.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.get_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.get_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "presence.core.auth.client_address"
# No start-up banner on every `presence` command; lockouts are still logged as warnings.
AXES_VERBOSE = False
TRUSTED_PROXIES = env.get_int("TRUSTED_PROXIES", 0, minimum=0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The six official languages of the United Nations; English is complete, the others fall back to it.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.get_str("TIME_ZONE", "Europe/Zurich")
USE_I18N = True
USE_TZ = True
# Numbers in the locale's grouping ("104,630.5", "104 630,5"), dates in its DATE_FORMAT; the project's
# corrections to Django's formats are in presence/formats/. Years and identifiers are `unlocalize`d.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["presence.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, compressed copies (made by collectstatic) through WhiteNoise.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRESENCE_ENV == "production"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Pages refer to static files by their hashed names only; source maps are not worth compressing.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A login session ends after SESSION_IDLE_TIMEOUT seconds without a request, and in any case
# SESSION_MAX_LIFETIME seconds after the login (core.auth.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.get_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_MAX_LIFETIME = env.get_int("SESSION_MAX_LIFETIME", 12 * 60 * 60, minimum=60)
SESSION_COOKIE_AGE = SESSION_MAX_LIFETIME
# HTTPS: TLS ends at the proxy, which tells the application through SECURE_PROXY_SSL_HEADER.
SESSION_COOKIE_SECURE = env.get_bool("SESSION_COOKIE_SECURE", PRESENCE_ENV == "production")
CSRF_COOKIE_SECURE = env.get_bool("CSRF_COOKIE_SECURE", PRESENCE_ENV == "production")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", PRESENCE_ENV == "production")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe the app servers over plain HTTP
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = env.get_header_pair("SECURE_PROXY_SSL_HEADER")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from this site's static files, never inline;
# style attributes stay allowed (tables indent rows, charts size themselves with them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "presence@localhost")

TASKS = {
    "default": {"BACKEND": env.get_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}
}

# Uploads refused, failed or never confirmed are deleted by `presence cleanup` after this many days.
UPLOAD_RETENTION_DAYS = env.get_int("UPLOAD_RETENTION_DAYS", 7, minimum=1)
# A running job that reported nothing for this many minutes (its worker died) is marked failed.
JOB_STALE_AFTER_MINUTES = env.get_int("JOB_STALE_AFTER_MINUTES", 120, minimum=1)

# Anonymous read-only dashboard with non-personal content only; off unless asked for.
PUBLIC_DASHBOARD = env.get_bool("PUBLIC_DASHBOARD", False)
# Organisation publishing IATI data (ITU: XM-DAC-41303).
IATI_REPORTING_ORG_REF = env.get_str("IATI_REPORTING_ORG_REF", "XM-DAC-41303")
IATI_REPORTING_ORG_NAME = env.get_str("IATI_REPORTING_ORG_NAME", "International Telecommunication Union")
IATI_REPORTING_ORG_TYPE = env.get_str("IATI_REPORTING_ORG_TYPE", "40")
# The IATI 2.03 schema files every imported activity is checked against (interchange/iati/schema.py);
# not shipped with the project. Without them an import notes that nothing was checked.
IATI_SCHEMA_DIR = env.get_str(
    "IATI_SCHEMA_DIR", str(PACKAGE_DIR.parents[2] / "shared" / "iati" / "schema-2.03")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each layout step at INFO ("Step 5 - Creating layout - Page 2"): not news.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
