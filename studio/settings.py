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
from studio.env import env_bool, env_int, env_list, next_redis_database, secret_key

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
    # The health endpoint, request and job ids in the logs, the admin's task queue view.
    "studio.operations",
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
    "health_check",
    "django_guid",
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
    # First: every later log line of the request carries its id (X-Request-ID, see LOGGING).
    "django_guid.middleware.guid_middleware",
    "studio.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "studio.content_security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "studio.middleware.LibraryLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Upload tokens (Authorization: Bearer) on the tus upload endpoint only.
    "studio.tokens.UploadTokenMiddleware",
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
    # WAL with synchronous=NORMAL syncs at checkpoints, not every commit; it stays consistent
    # after a crash and loses at most the last commits on a power cut (SQLite's documentation).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
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
    # tus-js-client from npm (pinned), the admin upload page's resumable upload client.
    ("vendor/tus-js-client", BASE_DIR / "node_modules" / "tus-js-client" / "dist"),
    # Workbox's service-worker modules from npm (pinned), side by side for importScripts.
    *[
        ("vendor/workbox", BASE_DIR / "node_modules" / f"workbox-{name}" / "build")
        for name in ("core", "routing", "range-requests")
    ],
]
MEDIA_URL = os.environ.get("KOTIKANAVA_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("KOTIKANAVA_MEDIA_ROOT", BASE_DIR / "media"))
# Media is never served straight from its folder: /media/ checks who may see each file first
# (see studio/media.py); behind nginx, KOTIKANAVA_MEDIA_ACCEL_PREFIX (below) hands it over.
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
# Separate queues (streaming/tasks.py), most urgent first: a worker given several takes them in
# this order, and a transcode backlog never holds up a live session's work or an e-mail.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASK_QUEUE_TIMEOUTS = {"live": 2 * 3600, "default": 3600, "transcode": 6 * 3600}
RQ_QUEUES = {
    name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": timeout}
    for name, timeout in TASK_QUEUE_TIMEOUTS.items()
}
# Every job on these queues is a django-tasks task: `rqworker` needs no --job-class.
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": list(TASK_QUEUE_TIMEOUTS),
    }
}

# Cache: Redis when one is named (KOTIKANAVA_CACHE_URL, or else REDIS_URL's server in the next
# database, since clearing a cache empties its whole database), memory of each process otherwise.
CACHE_URL = os.environ.get("KOTIKANAVA_CACHE_URL") or (
    next_redis_database(REDIS_URL) if REDIS_URL else ""
)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "kotikanava",
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
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
# Refuse titles and file names with direction-changing control characters (streaming/validators.py).
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
AXES_CLIENT_IP_CALLABLE = "streaming.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "studio.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Behind reverse proxies, KOTIKANAVA_TRUSTED_PROXIES (below) says how many are ours.

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

# Clients' questions to a live session's host (streaming.live.questions): at most this many per
# client and session in the window; deleted by the scheduler after the retention period.
KOTIKANAVA_QUESTION_RATE_LIMIT = env_int("KOTIKANAVA_QUESTION_RATE_LIMIT", 3)
KOTIKANAVA_QUESTION_RATE_WINDOW_SECONDS = env_int("KOTIKANAVA_QUESTION_RATE_WINDOW_SECONDS", 300)
KOTIKANAVA_QUESTION_RETENTION_DAYS = env_int("KOTIKANAVA_QUESTION_RETENTION_DAYS", 30)

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
# Load balancers probe the health endpoint on the plain address.
SECURE_REDIRECT_EXEMPT += [r"^health/$"]
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

# Logs: one line per record on stderr, each with its request id (django-guid: nginx's
# X-Request-ID, else a new one, returned in the response header) and, in workers, the id of the
# task being run (studio/operations/logs.py). KOTIKANAVA_LOG_FORMAT=json writes JSON lines
# (python-json-logger) for a log collector; the default is for people reading a terminal.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # An incoming id must look like a UUID (nginx's $request_id does): no log injection.
    "VALIDATE_GUID": True,
    "EXPOSE_HEADER": False,
}
LOG_FORMAT = os.environ.get("KOTIKANAVA_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("KOTIKANAVA_LOG_FORMAT is text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "studio.operations.logs.ContextFilter"}},
    "formatters": {
        "text": {
            "()": "studio.operations.logs.HumanFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Failed logins and lockouts are warnings; the rest of axes' chatter is not needed.
        "axes": {"level": "WARNING"},
        # It logs every request's id at INFO; the request lines below carry it.
        "django_guid": {"level": "WARNING"},
        # A failing part is in the endpoint's answer; its traceback is for debugging.
        "health_check": {"level": "ERROR"},
        # One line per request (media requests at DEBUG); nginx keeps its own access log.
        "studio.requests": {"level": os.environ.get("KOTIKANAVA_REQUEST_LOG_LEVEL", "INFO")},
    },
}

# The health endpoint (/health/) also checks the live ingest when it is part of the
# installation: by default when KOTIKANAVA_RTMP_HOST names where it runs.
KOTIKANAVA_HEALTH_INGEST = env_bool(
    "KOTIKANAVA_HEALTH_INGEST", bool(os.environ.get("KOTIKANAVA_RTMP_HOST"))
)


KOTIKANAVA_CAPTIONS_ON_BY_DEFAULT = env_bool("KOTIKANAVA_CAPTIONS_ON_BY_DEFAULT", True)

# The media engine's settings have their defaults and meanings in streaming/conf.py; each is set
# here only from the environment variable of the same name. KOTIKANAVA_PIPELINE (overrides of
# streaming.pipeline.config.PipelineConfig) is set in code, not from the environment.
_MEDIA_ENGINE_ENVIRONMENT = {
    # Processing: the workers' temp folder, and when a silent job is taken for dead.
    "KOTIKANAVA_WORK_DIR": os.environ.get,
    "KOTIKANAVA_STALL_SECONDS": env_int,
    # Delivery: nginx's internal location for X-Accel-Redirect; signed S3 URLs' lifetime.
    "KOTIKANAVA_MEDIA_ACCEL_PREFIX": os.environ.get,
    "KOTIKANAVA_MEDIA_SIGNED_URL_SECONDS": env_int,
    # Shared with nginx's secure_link: public segments are sent without the app (deploy/nginx).
    "KOTIKANAVA_MEDIA_LINK_SECRET": os.environ.get,
    # How many reverse proxies of our own add to X-Forwarded-For (login throttling, feedback).
    "KOTIKANAVA_TRUSTED_PROXIES": env_int,
    # Uploads from the admin.
    "KOTIKANAVA_MAX_UPLOAD_BYTES": env_int,
    "KOTIKANAVA_UPLOAD_DIR": os.environ.get,
    "KOTIKANAVA_UPLOAD_MAX_OPEN_SESSIONS": env_int,
    "KOTIKANAVA_UPLOAD_DISK_RESERVE_BYTES": env_int,
    "KOTIKANAVA_UPLOAD_LEASE_SECONDS": env_int,
    "KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES": env_int,
    # Retention: days a ready video keeps its original (0: for ever), hours a failed upload's.
    "KOTIKANAVA_ORIGINAL_RETENTION_DAYS": env_int,
    "KOTIKANAVA_FAILED_UPLOAD_RETENTION_HOURS": env_int,
    # Live ingest (nginx-rtmp started by `manage.py run_ingest`) and the packagers.
    "KOTIKANAVA_RTMP_HOST": os.environ.get,
    "KOTIKANAVA_RTMP_PORT": env_int,
    "KOTIKANAVA_RTMP_APP": os.environ.get,
    "KOTIKANAVA_INGEST_CALLBACK_URL": os.environ.get,
    "KOTIKANAVA_INGEST_HOSTS": env_list,
    "KOTIKANAVA_LIVE_EARLY_MINUTES": env_int,
    "KOTIKANAVA_LIVE_LATE_MINUTES": env_int,
    "KOTIKANAVA_LIVE_PUBLISHER_STALE_SECONDS": env_int,
    "KOTIKANAVA_LIVE_GRACE_SECONDS": env_int,
    "KOTIKANAVA_LIVE_WINDOW_SEGMENTS": env_int,
    "KOTIKANAVA_LIVE_MIN_FREE_BYTES": env_int,
    "KOTIKANAVA_LIVE_WORK_DIR": os.environ.get,
}
for _name, _read in _MEDIA_ENGINE_ENVIRONMENT.items():
    if os.environ.get(_name):
        globals()[_name] = _read(_name, None)
