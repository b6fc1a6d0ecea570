"""Settings, read from the environment. Unset means the embedded default: SQLite and in-process tasks."""

import hashlib
import hmac
import os
import secrets
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

# Secrets (docs/operations.md, "Security"). The key this file once carried as a default is public: no process
# accepts it, in any configuration, so nothing signed with it (sessions, back-office JWTs) is ever trusted.
PUBLIC_KEYS = frozenset({"insecure-development-key-set-SECRET_KEY-in-production"})
LOCAL_SECRET_KEY_FILE = BASE_DIR / ".secret_key"


def local_secret_key() -> str:
    """With DEBUG, a key of this checkout kept in an ignored file, made on first use."""
    if not LOCAL_SECRET_KEY_FILE.exists():
        LOCAL_SECRET_KEY_FILE.touch(mode=0o600)
        LOCAL_SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50) + "\n")
    return LOCAL_SECRET_KEY_FILE.read_text().strip()


def require_secret(name: str, value: str) -> str:
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. With DEBUG off the server refuses to start without it: set {name} to a long random "
            "value kept out of the code (python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "`make run` and `make test` keep one of this machine in .secret_key."
        )
    if value in PUBLIC_KEYS:
        raise ImproperlyConfigured(f"{name} is the development default printed in the code, which is public: set it.")
    return value


def secret_key_from_environment() -> str:
    """SECRET_KEY itself, else the file SECRET_KEY_FILE names (a mounted secret; `manage.py` names .secret_key when
    `make run` or `make test` made one), else, with DEBUG only, the key of this checkout."""
    if "SECRET_KEY" in os.environ:
        return os.environ["SECRET_KEY"].strip()
    if path := os.environ.get("SECRET_KEY_FILE", "").strip():
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"SECRET_KEY_FILE names a file that cannot be read: {error}") from None
    return local_secret_key() if DEBUG else ""


SECRET_KEY = secret_key_from_environment()
require_secret("SECRET_KEY", SECRET_KEY)
# Earlier keys, still accepted for what they signed while a new SECRET_KEY takes over (Django's key rotation).
SECRET_KEY_FALLBACKS = [require_secret("SECRET_KEY_FALLBACKS", key) for key in env_list("SECRET_KEY_FALLBACKS", "")]


def derived_key(secret: str) -> str:
    """A key of its own for one purpose, derived from SECRET_KEY, so a token signed with one never passes the other."""
    return hmac.new(secret.encode(), b"accounts.backoffice-jwt", hashlib.sha256).hexdigest()


# Back-office v2 JWTs (`POST /backoffice/v2/users/login`): signed with this key, checked against it and the fallbacks.
# Unset, it is derived from SECRET_KEY, and its fallbacks from SECRET_KEY_FALLBACKS.
_jwt_signing_key = os.environ.get("JWT_SIGNING_KEY", "").strip()
JWT_SIGNING_KEY = require_secret("JWT_SIGNING_KEY", _jwt_signing_key or derived_key(SECRET_KEY))
JWT_SIGNING_KEY_FALLBACKS = [
    require_secret("JWT_SIGNING_KEY_FALLBACKS", key) for key in env_list("JWT_SIGNING_KEY_FALLBACKS", "")
] + ([] if _jwt_signing_key else [derived_key(key) for key in SECRET_KEY_FALLBACKS])
JWT_ISSUER = os.environ.get("JWT_ISSUER", "correspondence-backoffice")
JWT_LIFETIME = timedelta(seconds=int(os.environ.get("JWT_LIFETIME_SECONDS", "3600")))

# HTTPS: secure cookies, HSTS and the redirect to https are on unless DEBUG is; each has its own switch.
# HTTPS_ONLY=false turns all of them off together, for plain HTTP on loopback (`make run`, the tests).
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS_ONLY)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS_ONLY)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if HTTPS_ONLY else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS_ONLY)
# Behind a proxy that terminates TLS: the header it sets on requests that came over https, "NAME=value",
# e.g. "X-Forwarded-Proto=https". Set it only when the proxy always sets (or strips) that header.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    _header, _, _value = _proxy_ssl_header.partition("=")
    if not _header.strip() or not _value.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must read NAME=value, e.g. X-Forwarded-Proto=https; got {_proxy_ssl_header!r}."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())
# How many proxies of ours stand in front of the server; the client's address is then the one the outermost of
# them saw, read from X-Forwarded-For (per-address login lock-outs). 0: the connection's own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "accounts.admin_site.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "accounts",
    "activities",
    "communications",
    "correspondence",
    "postal",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts in this request: the staff user, unless an API family's authentication names a key or user.
    "accounts.actors.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, without a health check's round trip for a connection that has just answered (config/postgresql/).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    # PostgreSQL plans a statement once per connection and reuses the plan: parameters bound on the server and
    # statements prepared from their fifth run (bench/README.md, "The request path"). DATABASE_PREPARED_STATEMENTS=
    # false binds on the client and plans every statement anew, as a transaction-pooling proxy needs.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = ["accounts.lockout.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served from the app folders without collectstatic, so `make run` needs no build step.
WHITENOISE_USE_FINDERS = True
# STATIC_ROOT is only filled by collectstatic for deployments; until then the finders serve.
warnings.filterwarnings("ignore", "No directory at")

# Celery: without a broker, tasks run in-process so the embedded default needs nothing running.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat wait out a broker outage of any length (every 30 s at most) instead of exiting after 100 tries.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1}
CELERY_TASK_DEFAULT_QUEUE = "default"

_email_backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
        "port": int(os.environ.get("EMAIL_PORT", "1025")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
elif _email_backend.endswith("filebased.EmailBackend"):
    _email_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "outbox"))}
else:
    _email_options = {}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "correspondence@example.com")

REDIS_URL = os.environ.get("REDIS_URL", "")

# Rate limits and login lock-outs count in this Redis (default REDIS_URL); without one (the embedded default)
# API keys have no rate limit and failed logins are counted in the database.
RATE_LIMIT_REDIS_URL = os.environ.get("RATE_LIMIT_REDIS_URL", REDIS_URL)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if RATE_LIMIT_REDIS_URL:
    CACHES["login_attempts"] = {
        "BACKEND": "accounts.lockout.LoginAttemptsCache",
        "LOCATION": RATE_LIMIT_REDIS_URL,
        "KEY_PREFIX": "logins",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
# Requests a minute an API key may make (GOV.UK Notify's default); a key's own limit is set in the admin.
API_KEY_REQUESTS_PER_MINUTE = int(os.environ.get("API_KEY_REQUESTS_PER_MINUTE", "3000"))
# False: keys have no limit and nothing is counted, while Redis still tells every process of a changed key.
API_KEY_RATE_LIMIT = env_bool("API_KEY_RATE_LIMIT", True)

# Failed logins (admin, v2 users/login, CRM.COM authentication/login), counted by django-axes per username and
# per client address: at LOGIN_FAILURE_LIMIT within LOGIN_LOCKOUT_SECONDS of each other, that username and that
# address are refused (429) until LOGIN_LOCKOUT_SECONDS pass without another try.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(seconds=int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# Several web processes must share the count: Redis when configured, else the database (not a per-process cache).
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler" if RATE_LIMIT_REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_CACHE = "login_attempts"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Letters with text beyond Western European are set in this TrueType font (Debian's fonts-dejavu-core).
LETTER_UNICODE_FONT = os.environ.get("LETTER_UNICODE_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LETTER_UNICODE_FONT_BOLD = os.environ.get(
    "LETTER_UNICODE_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)

# Outbound email and SMS (communications): one row per message, claimed by one worker, retried with
# exponential backoff (base, 2×base, … up to the cap), then recorded as failed.
OUTBOUND_EMAIL_MAILER = os.environ.get("OUTBOUND_EMAIL_MAILER", "default")
OUTBOUND_MESSAGE_ID_DOMAIN = os.environ.get(
    "OUTBOUND_MESSAGE_ID_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
)
OUTBOUND_MAX_ATTEMPTS = int(os.environ.get("OUTBOUND_MAX_ATTEMPTS", "5"))
OUTBOUND_RETRY_BASE_SECONDS = int(os.environ.get("OUTBOUND_RETRY_BASE_SECONDS", "60"))
OUTBOUND_RETRY_MAX_SECONDS = int(os.environ.get("OUTBOUND_RETRY_MAX_SECONDS", "3600"))
# A worker claims up to this many due rows at once and sends them …
OUTBOUND_BATCH_SIZE = int(os.environ.get("OUTBOUND_BATCH_SIZE", "100"))
# … over this many kept-open SMTP connections per worker process, in step (a round trip carries them all).
OUTBOUND_SMTP_CONNECTIONS = int(os.environ.get("OUTBOUND_SMTP_CONNECTIONS", "8"))
# A wake-up waiting in the broker stands for every row due before a worker takes it; the mark saying so
# expires after this long, in case the broker lost that wake-up.
OUTBOUND_WAKE_UP_WAITING_SECONDS = int(os.environ.get("OUTBOUND_WAKE_UP_WAITING_SECONDS", "10"))
# A SENDING row whose worker has been silent this long is recovered by the sweep.
OUTBOUND_CLAIM_LEASE_SECONDS = int(os.environ.get("OUTBOUND_CLAIM_LEASE_SECONDS", "600"))
# A QUEUED row still waiting this long after it fell due is handed to the workers again by the sweep.
OUTBOUND_SWEEP_GRACE_SECONDS = int(os.environ.get("OUTBOUND_SWEEP_GRACE_SECONDS", "60"))
OUTBOUND_SWEEP_INTERVAL_SECONDS = int(os.environ.get("OUTBOUND_SWEEP_INTERVAL_SECONDS", "60"))
# Test mode: messages of test-mode keys go through the whole pipeline, but only ever to these sinks.
OUTBOUND_TEST_MAILER = os.environ.get("OUTBOUND_TEST_MAILER", "default")
OUTBOUND_TEST_EMAIL_RECIPIENT = os.environ.get("OUTBOUND_TEST_EMAIL_RECIPIENT", "test-sink@example.invalid")
OUTBOUND_TEST_SMS_RECIPIENT = os.environ.get("OUTBOUND_TEST_SMS_RECIPIENT", "+00000000000")
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "communications.outbound.sms_gateways.LoggingSmsGateway")
SMS_TEST_GATEWAY = os.environ.get("SMS_TEST_GATEWAY", "communications.outbound.sms_gateways.LoggingSmsGateway")
# Retention (`manage.py purge`, daily on beat): records older than this are removed or anonymised.
RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "365"))
# The wall-clock zone of the CRM.COM R-series family's dates ("Mon May 05 15:49:59 EEST 2014").
CRM_TIME_ZONE = os.environ.get("CRM_TIME_ZONE", "Europe/Nicosia")

# Postal (seed 002): the mail house, prices per transport, and the letter-status polling allowance.
POSTAL_MAIL_HOUSE = os.environ.get("POSTAL_MAIL_HOUSE", "postal.mailhouse.SimulatedMailHouse")
POSTAL_SIMULATOR_LODGE_AFTER = timedelta(seconds=int(os.environ.get("POSTAL_SIMULATOR_LODGE_AFTER_SECONDS", "60")))
POSTAL_SIMULATOR_RETURN_AFTER = timedelta(seconds=int(os.environ.get("POSTAL_SIMULATOR_RETURN_AFTER_SECONDS", "3600")))
POSTAL_SIMULATOR_RETURN_SHARE = float(os.environ.get("POSTAL_SIMULATOR_RETURN_SHARE", "0.02"))
POSTAL_PRICES = {
    transport: Decimal(os.environ.get(f"POSTAL_PRICE_{transport}", default))
    for transport, default in (("EMAIL", "0.20"), ("SMS", "0.10"), ("POST", "1.83"))
}
# Counters of letter-status queries per reference; without a Redis URL they live in Django's cache.
POSTAL_POLL_REDIS_URL = os.environ.get("POSTAL_POLL_REDIS_URL", REDIS_URL)
POSTAL_POLL_ALLOWANCE = int(os.environ.get("POSTAL_POLL_ALLOWANCE", "3"))
# Base of the open-tracking links put in letters sent by email or SMS.
POSTAL_PUBLIC_URL = os.environ.get("POSTAL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
POSTAL_MAX_REQUEST_BYTES = int(os.environ.get("POSTAL_MAX_REQUEST_BYTES", str(25 * 1024 * 1024)))
POSTAL_TIME_ZONE = os.environ.get("POSTAL_TIME_ZONE", TIME_ZONE)
POSTAL_LODGE_EVERY_SECONDS = float(os.environ.get("POSTAL_LODGE_EVERY_SECONDS", "30"))
POSTAL_COLLECT_RETURNS_EVERY_SECONDS = float(os.environ.get("POSTAL_COLLECT_RETURNS_EVERY_SECONDS", "300"))

# Correspondence initialize (/correspondence/api/v1/): shared attachments, publishing, notifications.
CORRESPONDENCE_ATTACHMENT_MAX_BYTES = int(os.environ.get("CORRESPONDENCE_ATTACHMENT_MAX_BYTES", str(100 * 1024 * 1024)))
CORRESPONDENCE_ATTACHMENT_EXTENSIONS = env_list(
    "CORRESPONDENCE_ATTACHMENT_EXTENSIONS", "pdf,docx,xlsx,pptx,odt,ods,png,jpg,jpeg,gif,tif,tiff,txt,csv,json,xml,zip"
)
# A reminder goes out this long after publishing when the correspondence is still unread.
CORRESPONDENCE_REMINDER_DELAY_SECONDS = int(os.environ.get("CORRESPONDENCE_REMINDER_DELAY_SECONDS", str(7 * 24 * 3600)))
# Phone numbers on contacts without a country code are read as numbers of this region.
CORRESPONDENCE_PHONE_REGION = os.environ.get("CORRESPONDENCE_PHONE_REGION", "NO")
CORRESPONDENCE_SWEEP_INTERVAL_SECONDS = int(os.environ.get("CORRESPONDENCE_SWEEP_INTERVAL_SECONDS", "60"))

# Every task's queue: five queues, one worker group each (docs/operations.md), so a flood of one kind never
# starves another. Sweeps, publishing, notifications and retention only find work and hand it on: `default`.
CELERY_QUEUE_NAMES = ("email", "sms", "pdf", "postal", "default")
CELERY_TASK_ROUTES = {
    "communications.send_due_email": {"queue": "email"},
    "communications.send_due_sms": {"queue": "sms"},
    "correspondence.render_pdf": {"queue": "pdf"},
    "correspondence.render_pdfs": {"queue": "pdf"},
    "postal.*": {"queue": "postal"},
    "communications.*": {"queue": "default"},
    "correspondence.*": {"queue": "default"},
    "accounts.*": {"queue": "default"},
}
# Every periodic sweep: what the database says is due, whether or not a task was started for it.
CELERY_BEAT_SCHEDULE = {
    "communications.sweep_outbound": {
        "task": "communications.sweep_outbound",
        "schedule": OUTBOUND_SWEEP_INTERVAL_SECONDS,
    },
    "correspondence.sweep_unrendered": {"task": "correspondence.sweep_unrendered", "schedule": 60.0},
    "correspondence.sweep_dispatches": {
        "task": "correspondence.sweep_dispatches",
        "schedule": CORRESPONDENCE_SWEEP_INTERVAL_SECONDS,
    },
    "postal.lodge_letters": {"task": "postal.lodge_letters", "schedule": POSTAL_LODGE_EVERY_SECONDS},
    "postal.collect_returns": {"task": "postal.collect_returns", "schedule": POSTAL_COLLECT_RETURNS_EVERY_SECONDS},
    "accounts.purge_expired": {"task": "accounts.purge_expired", "schedule": crontab(hour=3, minute=30)},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttling.ApiKeyRateLimit"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Customer correspondence and communications",
    "DESCRIPTION": "Letters, messages and contact moments with customers, over five API families.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CommunicationStateEnum": "communications.models.CommunicationState",
        "QueueStateEnum": "communications.models.QueueState",
        "AccountStateEnum": "accounts.models.AccountState",
        "ActivityStateEnum": "activities.models.ActivityState",
        "SharedAttachmentStatusEnum": "correspondence.models.AttachmentStatus",
        "DeliveryStatusEnum": "correspondence.models.DispatchedCorrespondenceStatus",
        "NotificationChannelEnum": "correspondence.models.NotificationChannel",
        "NotificationOrderStatusEnum": "correspondence.models.NotificationOrderStatus",
        "NotificationStateEnum": "correspondence.models.NotificationState",
        "NotificationTemplateEnum": "correspondence.models.NotificationTemplate",
    },
}

API_KEY_PREFIX = "ck"
# Seconds a process keeps an API key it found (accounts/key_cache.py): the longest a revoke takes to reach another
# process when Redis cannot say it at once; 0 looks every key up on every request.
API_KEY_CACHE_SECONDS = int(os.environ.get("API_KEY_CACHE_SECONDS", "10"))
# Record history (django-simple-history, accounts/history.py): a record's snapshots are read by its id, which is
# indexed; an index on the snapshot time too would only slow every write.
SIMPLE_HISTORY_DATE_INDEX = False
LOGIN_TOKEN_LIFETIME = timedelta(seconds=int(os.environ.get("LOGIN_TOKEN_LIFETIME_SECONDS", "3600")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "event": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "event"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
