"""Settings for Kotikanava.

Everything comes from the environment; without it, the embedded default runs: SQLite, local files
under media/, django-tasks on the database. See README.md for the variables.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from studio.content_security import storage_origins
from studio.env import env_bool, env_int, env_list, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("KOTIKANAVA_STATE_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = secret_key(STATE_DIR)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "studio",
    "library",
    "streaming",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "studio.content_security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "studio.middleware.LibraryLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "studio.urls"
WSGI_APPLICATION = "studio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in the state dir unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{STATE_DIR / 'db.sqlite3'}",
        # Kept open between requests: every media segment request asks the database who may
        # watch, and opening a connection each time cost ~2 ms (benchmarks/media_access.py).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server, task worker and scheduler share one SQLite file: wait for locks, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Finnish first, Swedish and English too, for the interface and the content.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# Files: local storage under media/ by default, S3-compatible storage when a bucket is named.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [
    # hls.js from npm (pinned in package-lock.json), served from our own static files.
    ("vendor/hls.js", BASE_DIR / "node_modules" / "hls.js" / "dist"),
    # Workbox's service-worker modules from npm (pinned), side by side for importScripts.
    *[
        ("vendor/workbox", BASE_DIR / "node_modules" / f"workbox-{name}" / "build")
        for name in ("core", "routing", "range-requests")
    ],
]
MEDIA_URL = os.environ.get("KOTIKANAVA_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("KOTIKANAVA_MEDIA_ROOT", BASE_DIR / "media"))
# Media is never served straight from its folder: /media/ checks who may see each file first
# (see studio/media.py). Behind nginx, name the internal location that maps to MEDIA_ROOT and
# the app answers with X-Accel-Redirect instead of sending the bytes itself.
KOTIKANAVA_MEDIA_ACCEL_PREFIX = os.environ.get("KOTIKANAVA_MEDIA_ACCEL_PREFIX", "")
# On S3, how long the signed URLs handed to a viewer work (long enough for a long recording).
KOTIKANAVA_MEDIA_SIGNED_URL_SECONDS = env_int("KOTIKANAVA_MEDIA_SIGNED_URL_SECONDS", 6 * 3600)
# Documents go through Wagtail's view, which applies collection privacy, on any storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

S3_BUCKET = os.environ.get("KOTIKANAVA_S3_BUCKET", "")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "streaming.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("KOTIKANAVA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("KOTIKANAVA_S3_REGION") or None,
            "custom_domain": os.environ.get("KOTIKANAVA_S3_CUSTOM_DOMAIN") or None,
            # The bucket is private: every URL the storage hands out is signed.
            "querystring_auth": env_bool("KOTIKANAVA_S3_QUERYSTRING_AUTH", True),
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work: django-tasks on the database by default, RQ on Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
RQ_QUEUES = {
    "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 6 * 3600}
}
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Wagtail
WAGTAIL_SITE_NAME = "Kotikanava"
WAGTAILADMIN_BASE_URL = os.environ.get("KOTIKANAVA_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "gif": "webp", "png": "webp", "jpeg": "webp"}
WAGTAILIMAGES_AVIF_QUALITY = 60
WAGTAILIMAGES_WEBP_QUALITY = 70
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Used only on PostgreSQL: stem Finnish words ("jumppa" finds "jumpat").
        "SEARCH_CONFIG": "finnish",
    }
}
TAGGIT_CASE_INSENSITIVE = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt"]
# Refuse titles and file names with direction-changing control characters (studio/validators.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "studio.collection_forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "studio.collection_forms.ImageForm"

LOGIN_URL = "wagtailadmin_login"

# Login throttling (django-axes) on every login form; Wagtail's page and document password
# forms are wrapped in studio/urls.py. See studio/throttling.py.
AUTHENTICATION_BACKENDS = [
    "studio.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KOTIKANAVA_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KOTIKANAVA_LOGIN_COOLOFF_MINUTES", 15))
# Username and address together: staff of one office share one public address, so locking by
# address alone would lock them all out after a few typos, and locking by username alone would
# let anyone lock any staff member out. Guessing from one address is stopped either way.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout lasts a fixed time from the last counted failure; tries during it don't extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Keep failures only (deleted after the cool-off), not a record of every login.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "studio.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "studio.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# How many reverse proxies of our own add to X-Forwarded-For (0: use the connection's address).
KOTIKANAVA_TRUSTED_PROXIES = env_int("KOTIKANAVA_TRUSTED_PROXIES", 0)

# E-mail (accessibility feedback notices to editors, Wagtail's moderation mails): printed on the
# console unless an SMTP server is named.
EMAIL_HOST = os.environ.get("KOTIKANAVA_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("KOTIKANAVA_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("KOTIKANAVA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KOTIKANAVA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KOTIKANAVA_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("KOTIKANAVA_FROM_EMAIL", "kotikanava@localhost")

# Accessibility feedback (library/feedback): kept this many days, then deleted by
# `manage.py delete_old_feedback`; at most this many messages per address per window.
KOTIKANAVA_FEEDBACK_RETENTION_DAYS = env_int("KOTIKANAVA_FEEDBACK_RETENTION_DAYS", 365)
KOTIKANAVA_FEEDBACK_RATE_LIMIT = env_int("KOTIKANAVA_FEEDBACK_RATE_LIMIT", 5)
KOTIKANAVA_FEEDBACK_RATE_WINDOW_MINUTES = env_int("KOTIKANAVA_FEEDBACK_RATE_WINDOW_MINUTES", 60)

# HTTPS. DJANGO_HTTPS=1 when the site is served over HTTPS (DJANGO_SECURE_COOKIES=1 is the old
# name): secure cookies, redirect to HTTPS, HSTS. Behind a TLS-terminating proxy, name the header
# it sets, e.g. DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
HTTPS = env_bool("DJANGO_HTTPS", env_bool("DJANGO_SECURE_COOKIES", False))
if proxy_ssl_header := env_list("DJANGO_SECURE_PROXY_SSL_HEADER", []):
    if len(proxy_ssl_header) != 2:
        raise ImproperlyConfigured("DJANGO_SECURE_PROXY_SSL_HEADER is HEADER,VALUE")
    SECURE_PROXY_SSL_HEADER = tuple(proxy_ssl_header)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# nginx-rtmp's callbacks come over plain HTTP on loopback; a redirect would rename the stream.
SECURE_REDIRECT_EXEMPT = [r"^live/ingest/"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds the whole registered domain through browsers' built-in lists and is slow to
# undo: the domain owner opts in (DJANGO_SECURE_HSTS_PRELOAD=1), so check --deploy doesn't ask.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Not DENY: Wagtail's live preview shows the page in a frame inside the admin (same origin only;
# CSP frame-ancestors says the same to current browsers).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS += ["security.W019"]

# Content-Security-Policy (django-csp). Client pages run only our own files: no inline script or
# style. hls.js plays through MediaSource blob: URLs and may start its worker from one; on S3,
# media, captions and images come from the storage's signed URLs.
MEDIA_ORIGINS = storage_origins(STORAGES["default"].get("OPTIONS", {}))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *MEDIA_ORIGINS],
        "connect-src": ["'self'", *MEDIA_ORIGINS],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The admin (chosen by path in studio/content_security.py) keeps the same sources, but Wagtail 8's
# page explorer, page editor and user list run inline scripts (tests/browser/test_csp.py finds
# them) and its templates use inline styles.
KOTIKANAVA_ADMIN_CSP = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
# Wagtail's admin would ask releases.wagtail.io for new versions from every editor's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Failed logins and lockouts are warnings; the rest of axes' chatter is not needed.
        "axes": {"level": "WARNING"},
    },
}


KOTIKANAVA_CAPTIONS_ON_BY_DEFAULT = env_bool("KOTIKANAVA_CAPTIONS_ON_BY_DEFAULT", True)

# Media pipeline: overrides of streaming.pipeline.config.PipelineConfig (ladder, limits, ...).
KOTIKANAVA_PIPELINE = {}
# Where workers keep temporary files while transcoding (needs room for a few originals).
WORK_DIR = os.environ.get("KOTIKANAVA_WORK_DIR") or None
# A processing job whose heartbeat is this old is taken for dead and queued again.
KOTIKANAVA_STALL_SECONDS = env_int("KOTIKANAVA_STALL_SECONDS", 120)

# Uploads from the admin (read by streaming.uploads).
KOTIKANAVA_MAX_UPLOAD_BYTES = int(os.environ.get("KOTIKANAVA_MAX_UPLOAD_BYTES", 8 * 1024**3))
KOTIKANAVA_UPLOAD_DIR = os.environ.get("KOTIKANAVA_UPLOAD_DIR") or None
KOTIKANAVA_UPLOAD_MAX_OPEN_SESSIONS = int(os.environ.get("KOTIKANAVA_UPLOAD_MAX_OPEN_SESSIONS", 10))
KOTIKANAVA_UPLOAD_DISK_RESERVE_BYTES = int(
    os.environ.get("KOTIKANAVA_UPLOAD_DISK_RESERVE_BYTES", 1024**3)
)
# An upload holds disk for the rest of its file only while it moves: this long after its last chunk.
KOTIKANAVA_UPLOAD_LEASE_SECONDS = int(os.environ.get("KOTIKANAVA_UPLOAD_LEASE_SECONDS", 120))
# Disk one person's moving uploads may hold at once; the page sends one file at a time, so the
# largest allowed file is enough for normal use and nobody can hold the disk with parallel uploads.
KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES = int(
    os.environ.get("KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES", KOTIKANAVA_MAX_UPLOAD_BYTES)
)

# Live ingest (nginx-rtmp, started by `manage.py run_ingest`; read by streaming.live).
KOTIKANAVA_RTMP_HOST = os.environ.get("KOTIKANAVA_RTMP_HOST", "127.0.0.1")
KOTIKANAVA_RTMP_PORT = env_int("KOTIKANAVA_RTMP_PORT", 1935)
KOTIKANAVA_RTMP_APP = os.environ.get("KOTIKANAVA_RTMP_APP", "live")
# Where nginx reaches this app for its on_publish / on_publish_done / on_update callbacks.
KOTIKANAVA_INGEST_CALLBACK_URL = os.environ.get(
    "KOTIKANAVA_INGEST_CALLBACK_URL", "http://127.0.0.1:8000"
)
# Addresses besides loopback whose callbacks are believed (an ingest server on another host).
KOTIKANAVA_INGEST_HOSTS = env_list("KOTIKANAVA_INGEST_HOSTS", [])
# A key works from this long before the start until this long after the planned end.
KOTIKANAVA_LIVE_EARLY_MINUTES = env_int("KOTIKANAVA_LIVE_EARLY_MINUTES", 30)
KOTIKANAVA_LIVE_LATE_MINUTES = env_int("KOTIKANAVA_LIVE_LATE_MINUTES", 30)
# A publisher without a heartbeat (on_update, every 10 s) for this long is taken for gone.
KOTIKANAVA_LIVE_PUBLISHER_STALE_SECONDS = env_int("KOTIKANAVA_LIVE_PUBLISHER_STALE_SECONDS", 30)
# A publisher who comes back within this long continues the same session, playlist and archive;
# after it, the session ends and its recording is made.
KOTIKANAVA_LIVE_GRACE_SECONDS = env_int("KOTIKANAVA_LIVE_GRACE_SECONDS", 120)
# Segments in a viewer's sliding-window live playlist (2 s each); the full list is kept apart.
KOTIKANAVA_LIVE_WINDOW_SEGMENTS = env_int("KOTIKANAVA_LIVE_WINDOW_SEGMENTS", 6)
# The packager stops a session cleanly when the live folder's disk has less free space than this.
KOTIKANAVA_LIVE_MIN_FREE_BYTES = env_int("KOTIKANAVA_LIVE_MIN_FREE_BYTES", 512 * 1024 * 1024)
# Where packagers write before files reach storage (local disk of the ingest host).
KOTIKANAVA_LIVE_WORK_DIR = os.environ.get(
    "KOTIKANAVA_LIVE_WORK_DIR", str(BASE_DIR / "var" / "live")
)
