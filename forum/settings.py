"""Settings of the roundtable CMS.

Everything that differs between a laptop and a server comes from the environment,
with safe development defaults: SQLite, DEBUG on, local hosts only.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

# Where `make run` serves the site in development (the Makefile passes its HOST and PORT).
DEV_HOST = os.environ.get("HOST") or "127.0.0.1"
DEV_PORT = os.environ.get("PORT") or "8000"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
if DEBUG and "ALLOWED_HOSTS" not in os.environ and DEV_HOST not in ALLOWED_HOSTS + ["0.0.0.0"]:
    ALLOWED_HOSTS.append(DEV_HOST)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address, for absolute URLs where no request is at hand (canonical URLs,
# feeds, sitemap, the admin link the commands print). In development it follows HOST and PORT.
SITE_URL = (
    os.environ.get("SITE_URL")
    or (f"http://{'127.0.0.1' if DEV_HOST == '0.0.0.0' else DEV_HOST}:{DEV_PORT}" if DEBUG else "http://127.0.0.1:8000")
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "nested_admin",
    "reversion",
    "markdownx",
    "corsheaders",
    "forum",
    "participants",
    "readings",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files with far-future caching in production (no nginx needed
    # for them); in development runserver's staticfiles handler still serves them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # CORS for the open data API only (CORS_URLS_REGEX below); moved before the request guard below.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # One new version of the public pages per request that changed content (forum/page_cache.py).
    "forum.page_cache.ContentChangeMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads at once (runserver, the test suite's live server): readers beside one
    # writer (WAL), a writer that waits its turn (timeout) rather than failing, and transactions
    # that take the write lock when they begin, so that two which read and then write cannot
    # lock each other out.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # The test database is a file, not Django's shared in-memory one: the live server's request
    # threads then each have their own connection, as in production, instead of sharing the test's
    # (two requests at once on one connection could deadlock a browser test).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(BASE_DIR / "var" / "test-db.sqlite3"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese first.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
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
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded images: hard limits before Pillow decodes anything.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A part's admin page posts 5 fields per turn (id, section, 順番, speaker, text; 6 with 削除):
# Django's default of 1,000 refuses (HTTP 400) the save of a part past ~160 turns. 25,000 allows
# the longest part (articles.models.MAX_TURNS_PER_PART, 4,000 turns) with room to spare.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 25_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000

# django-markdownx: render through the project's one sanitising function, accept only
# real raster images, and keep its endpoints behind the staff login (see forum/urls.py).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = IMAGE_MAX_BYTES
MARKDOWNX_MEDIA_PATH = "markdownx/"
MARKDOWNX_SERVER_CALL_LATENCY = 500

LOGIN_URL = "admin:login"

# The open data API (/api/v1/, articles/api/). The data's licence is stated in every
# response (the `license` field and a Link rel="license" header) and in the bulk files.
OPEN_DATA_LICENSE_NAME = os.environ.get("OPEN_DATA_LICENSE_NAME", "CC BY 4.0")
OPEN_DATA_LICENSE_URL = os.environ.get("OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/deed.ja")
# Whom to credit (出典). Empty: each record's forum is the source.
OPEN_DATA_ATTRIBUTION = os.environ.get("OPEN_DATA_ATTRIBUTION", "")
# Where `manage.py export_open_data` writes the bulk files that /api/v1/bulk/ serves.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "var" / "opendata"))
# Requests per client (its address; see NINJA_NUM_PROXIES) per period (s, m, h, d); "" or
# "off" turns the limit off. Counted in the default cache: with several server processes,
# configure a shared cache (e.g. Redis) for one count per client across processes.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
# Behind N trusted proxies, the client is the Nth address from the end of X-Forwarded-For;
# unset (the default) uses REMOTE_ADDR only, which a client cannot forge.
NINJA_NUM_PROXIES = int(os.environ.get("API_NUM_PROXIES", "0"))
# How long data users may keep a response before revalidating (a 304 then costs little).
API_MAX_AGE = int(os.environ.get("API_MAX_AGE", "300"))
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "Content-Disposition"]
CORS_PREFLIGHT_MAX_AGE = 86400

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Production behind HTTPS. Behind a proxy that terminates TLS, set
    # SECURE_PROXY_SSL_HEADER=1 so Django trusts its X-Forwarded-Proto header.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    if env_bool("SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
# --- Production serving and caching (issue 12) -----------------------------------------------
# Kept in one block: database connection reuse, the cache (Redis when REDIS_URL is set, this
# process's memory otherwise) and the HTTP caching of public pages (forum/page_cache.py).
# The Redis backend fails open: when Redis is unreachable every cache call is a miss and the
# site keeps serving from the database (forum/cache_backends.py).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "0"))
# A kept connection is tested before each request (off only with CONN_HEALTH_CHECKS=false).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("CONN_HEALTH_CHECKS", True)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "forum.cache_backends.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or test runs) may share one Redis: each keeps to its own prefix.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "roundtable"),
            "TIMEOUT": 24 * 3600,
            # A Redis that does not answer costs at most this per request, then is skipped
            # for a few seconds (FailOpenRedisCache.RETRY_AFTER_SECONDS).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "roundtable",
            "TIMEOUT": 24 * 3600,
            # Rendered pages are up to a few hundred KB: bound each process's memory.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCMEM_CACHE_ENTRIES", "200"))},
        }
    }
# Rendered public pages and feeds are kept in the cache and answered from it until anything
# they show changes (a site-wide content version, forum/page_cache.py); PAGE_CACHE=false
# renders every request (conditional requests still get 304).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# What a CDN (shared cache) in front may do with public pages: keep them CDN_MAX_AGE seconds
# and serve them up to CDN_STALE_WHILE_REVALIDATE seconds longer while it asks again.
# Browsers always revalidate (max-age=0) and get a 304 when nothing changed.
CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "60"))
CDN_STALE_WHILE_REVALIDATE = int(os.environ.get("CDN_STALE_WHILE_REVALIDATE", "60"))
# A purge of the CDN's copies whenever the public content changes (forum/cdn.py), so that an
# edit reaches readers behind it at once rather than after CDN_MAX_AGE. Unset: no purge.
# Fastly: CDN_PURGE_URL=https://api.fastly.com/service/<service id>/purge_all,
#   CDN_PURGE_HEADERS={"Fastly-Key": "{token}"}, CDN_PURGE_TOKEN=<API token with purge rights>.
# Cloudflare: CDN_PURGE_URL=https://api.cloudflare.com/client/v4/zones/<zone id>/purge_cache,
#   CDN_PURGE_HEADERS={"Authorization": "Bearer {token}", "Content-Type": "application/json"},
#   CDN_PURGE_BODY={"purge_everything": true}, CDN_PURGE_TOKEN=<API token with Cache Purge>.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_METHOD = os.environ.get("CDN_PURGE_METHOD", "POST")
try:
    CDN_PURGE_HEADERS = json.loads(os.environ.get("CDN_PURGE_HEADERS", "") or "{}")
except ValueError as error:
    raise ImproperlyConfigured(f"CDN_PURGE_HEADERS must be a JSON object: {error}") from error
if not isinstance(CDN_PURGE_HEADERS, dict):
    raise ImproperlyConfigured('CDN_PURGE_HEADERS must be a JSON object, e.g. {"Fastly-Key": "{token}"}')
CDN_PURGE_BODY = os.environ.get("CDN_PURGE_BODY", "")
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
CDN_PURGE_TIMEOUT = float(os.environ.get("CDN_PURGE_TIMEOUT", "5"))
# --- end of production serving and caching --------------------------------------------------

# --- e-mail (publication requests to the 公開担当, articles.corrections) ----------------------
# Django's own settings, from the environment. In development the console backend prints each
# message to the terminal of `make run`; in production set EMAIL_HOST (SMTP) and the sender.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# --- end of e-mail ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own console handler would print each of its records a second time, as they
    # also reach the root's: they go through the root's handler only, at INFO in development
    # as Django's handler did (runserver's request lines keep their django.server handler).
    "loggers": {"django": {"handlers": [], "level": "INFO" if DEBUG else LOG_LEVEL, "propagate": True}},
}

# ---------------------------------------------------------------------------------------------
# Hardening (issue 15): login throttling, security headers, request guards, database faults.
# Kept in one block so that other branches' settings changes merge around it.
# ---------------------------------------------------------------------------------------------
from datetime import timedelta  # noqa: E402

# django-axes under a Japanese name (forum/login_records.py: its AppConfig, named in Japanese).
INSTALLED_APPS += ["forum.login_records.JapaneseAxesConfig", "csp"]
# Malformed requests (NUL bytes, TRACE/OPTIONS, forged list selections) stop before anything
# else runs; the CSP header is added to every response; django-axes goes last, as it asks.
MIDDLEWARE.insert(1, "forum.middleware.RequestGuardMiddleware")
MIDDLEWARE.insert(2, "forum.middleware.SiteCSPMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# CORS preflights (OPTIONS) of the open data API are answered before the guard refuses OPTIONS.
MIDDLEWARE.remove("corsheaders.middleware.CorsMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("forum.middleware.RequestGuardMiddleware"), "corsheaders.middleware.CorsMiddleware")

# Database faults: CONN_HEALTH_CHECKS (with CONN_MAX_AGE, above) tests a kept connection
# before each request, so the first request after PostgreSQL comes back does not fail on a
# dead connection; during an outage the site answers 503 with Retry-After
# (forum.errors.server_error).
DATABASE_OUTAGE_RETRY_AFTER = int(os.environ.get("DATABASE_OUTAGE_RETRY_AFTER", "10"))

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords in a row, that
# account and, separately, that address are locked for LOGIN_LOCKOUT_MINUTES. The same page
# answers whether or not the account exists. Administrators unlock in the admin
# (ログイン試行 → delete) or with `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "forum.middleware.lockout_response"
# Behind a proxy REMOTE_ADDR is the proxy: TRUSTED_PROXY_COUNT proxies append to
# X-Forwarded-For, and the address before them is the client's (forum.middleware.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "forum.middleware.client_ip"

# Content Security Policy (django-csp). Public pages run no script at all (their only inline
# <script> is JSON-LD, a data block that browsers never execute), load styles, images and
# fonts from this site only, and may not be framed. The admin (forum.middleware.ADMIN_CSP)
# allows inline style attributes, which Django's admin and nested_admin set. A nonce is
# added to style-src only on pages that ask for one (the self-contained 500 and 503 pages).
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS for subdomains and the browsers' preload list are the site owner's decision: a public
# body's other hosts (mail, old systems) may not speak HTTPS, and preloading is slow to undo.
# Off unless set; the deployment check's two reminders (W005, W021) are silenced only then.
if not DEBUG:
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
    ]
CSRF_FAILURE_VIEW = "forum.errors.csrf_failure"
# A part's admin page posts ~6 fields per turn: articles.models.MAX_TURNS_PER_PART (4,000)
# turns need ~24,000; this bound still refuses a flood of fields before any form runs.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 40_000
# Uploaded files go through forum.media (public once a public page uses them, staff before);
# behind nginx set this to an internal location aliasing MEDIA_ROOT, e.g. /protected-media/.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
# End of the hardening block.

# --- Cached public pages, answered before most of the middleware (issue 12) ------------------
# forum.page_cache.LocalPageMiddleware answers a public page this process already served for
# the current content version, right after the middleware every request must pass (HTTPS
# redirect and security headers, CORS, request guards). Each process keeps those pages in its
# own memory, at most PAGE_CACHE_LOCAL_MB of bodies and headers (least recently used first).
MIDDLEWARE.insert(
    MIDDLEWARE.index("forum.middleware.RequestGuardMiddleware") + 1, "forum.page_cache.LocalPageMiddleware"
)
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_MB", "32")) * 1024 * 1024
