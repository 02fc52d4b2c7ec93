"""Settings of the roundtable CMS.

Everything that differs between a laptop and a server comes from the environment,
with safe development defaults: SQLite, DEBUG on, local hosts only.
"""
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
SITE_URL = (os.environ.get("SITE_URL") or (
    f"http://{'127.0.0.1' if DEV_HOST == '0.0.0.0' else DEV_HOST}:{DEV_PORT}" if DEBUG
    else "http://127.0.0.1:8000")).rstrip("/")

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
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files with far-future caching in production (no nginx needed
    # for them); in development runserver's staticfiles handler still serves them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # CORS for the open data API only (CORS_URLS_REGEX below); before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
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
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded images: hard limits before Pillow decodes anything.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A part's admin page posts ~6 fields per turn: Django's default of 1,000 refuses (HTTP 400)
# the save of a part past ~160 turns. 20,000 allows some 3,000 turns.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
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
OPEN_DATA_LICENSE_URL = os.environ.get(
    "OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/deed.ja"
)
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
