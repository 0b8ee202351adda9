"""Settings shared by every environment. Everything that differs comes from the environment."""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL and IMMEDIATE transactions avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A covering index's INCLUDE columns (the carrier figures' index) serve PostgreSQL; SQLite
# simply indexes the key columns, which is all its small databases need.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "outbox",
    "django_prometheus",
    "accounts",
    "statutes",
    "vault",
    "tracker",
    "escalation",
    "helpdesk",
    "claims",
    "demo",
    "esign",
    "dispatch",
    "inbound",
    "ops",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "ops.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.body_limit.RequestBodyLimitMiddleware",  # before CSRF reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AgencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
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
                "accounts.context_processors.agency",
            ],
        },
    },
    {  # the hot row partials only (config/jinja.py); pages are Django templates
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja.environment", "autoescape": True},
    },
]
# Django's renderer with <input> and empty error lists written in Python (config/forms.py).
FORM_RENDERER = "config.forms.FormRenderer"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserBackend",  # ModelBackend, the agency read with the user
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "vault:today"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_MAX_AGE = 60 * 60 * 24 * 7

# Login throttling (django-axes): 5 failures per username+IP lock for one hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in form posts the e-mail as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
# Attempts count under the canonical e-mail (any case) and the real client address.
AXES_USERNAME_CALLABLE = "accounts.throttle.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
# Proxies in front of the app whose X-Forwarded-For is believed (addresses or networks).
# Empty: the app is reached directly and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or network."
        ) from _exc

# Forms that send e-mail: attempts per e-mail address and per client (accounts.rate_limits).
RATE_LIMITS = {
    "password_reset": {"address": "3/h", "client": "10/h"},
    "signup": {"address": "3/h", "client": "3/h"},
    "invitation": {"address": "3/d", "client": "30/h"},
    # not an e-mail: wrong current passwords on the password-change form, per account
    "password_change": {"account": "5/h"},
}
# The counters' store (rate limits, the signing page's too) and a running import's progress
# (claims.progress). Production: Redis, shared by every web and worker process
# (production.py requires it); `make run`: a file cache (local.py); tests: this process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True
# One date format everywhere: "Dec 1, 2026" and "Dec 1, 2026, 3:21 PM" (config/formats/en
# holds the same, because Django's English locale wins over these settings otherwise).
DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, g:i A"
TIME_FORMAT = "g:i A"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))

# Uploaded documents live outside any public path and are served only through an agency-checked
# view: on the local disk (DOCUMENT_ROOT), or in a private S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set, so web servers and workers on several machines share them.
DOCUMENT_ROOT = env("DOCUMENT_ROOT", default=str(VAR_DIR / "documents"))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    DOCUMENT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "location": env("AWS_LOCATION", default=""),
            # Private objects; an empty AWS_DEFAULT_ACL leaves it to the bucket (ACLs disabled).
            "default_acl": env("AWS_DEFAULT_ACL", default="private") or None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "max_memory_size": 2 * 1024 * 1024,  # larger downloads spool to a temp file
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
        },
    }
else:
    DOCUMENT_STORAGE = {
        "BACKEND": env(
            "DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": DOCUMENT_ROOT, "base_url": None},
    }
STORAGES = {
    "default": DOCUMENT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Whole request bodies beyond this are refused before they are stored (files stream to disk).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Any body beyond this is refused with 413 before it is read, except on upload views.
REQUEST_BODY_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default=None)

# E-mail: SMTP by default; anymail ESPs by EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend + ANYMAIL.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Loss Run Tracker <tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
HELPDESK_EMAIL = env("HELPDESK_EMAIL", default="helpdesk@localhost")
# What staff do to a ticket within this many seconds of the first change reaches the
# agency as one e-mail (helpdesk.services.updates).
HELPDESK_UPDATE_WINDOW_SECONDS = env.int("HELPDESK_UPDATE_WINDOW_SECONDS", default=60)
# Replies from carriers: each request's Reply-To is this address plus-addressed with a token.
INBOUND_EMAIL_ADDRESS = env("INBOUND_EMAIL_ADDRESS", default="lossruns@inbound.localhost")

# Electronic signature of the authorization letter.
ESIGN_LINK_DAYS = env.int("ESIGN_LINK_DAYS", default=14)
ESIGN_SIGNATURE_MAX_BYTES = env.int("ESIGN_SIGNATURE_MAX_BYTES", default=300_000)
ESIGN_RATE = env("ESIGN_RATE", default="30/m")  # signing-page requests per client address

# /dev/outbox/: the outbox rows in the browser (staff: all; agency users: their agency's).
CAPTURED_MAIL_PAGE = env.bool("CAPTURED_MAIL_PAGE", default=DEBUG)
ANYMAIL = {
    "MAILGUN_API_KEY": env("MAILGUN_API_KEY", default=""),
    "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=""),
    "SENDGRID_API_KEY": env("SENDGRID_API_KEY", default=""),
    "AMAZON_SES_CLIENT_PARAMS": {},
}
# Inbound webhooks (carriers' replies): the basic-auth "user:password" every provider's
# webhook URL carries, and Mailgun's webhook signing key. Unset: the webhooks refuse
# every delivery (400); `manage.py ingest_email` still works.
ANYMAIL["WEBHOOK_SECRET"] = env("ANYMAIL_WEBHOOK_SECRET", default="")
if env("MAILGUN_WEBHOOK_SIGNING_KEY", default=""):
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = env("MAILGUN_WEBHOOK_SIGNING_KEY")
# A webhook carries the whole message, attachments base64-encoded (4/3 of their size).
INBOUND_WEBHOOK_MAX_BYTES = env.int(
    "INBOUND_WEBHOOK_MAX_BYTES", default=MAX_UPLOAD_BYTES * 3 // 2 + 1024 * 1024
)

# Celery
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task (its worker died) to another worker after this long.
# (Redis only: the embedded SQLAlchemy broker refuses the option.)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "tracker-sweep": {"task": "tracker.tasks.sweep", "schedule": 60.0, "options": {"expires": 55}},
    # Each agent's weekly digest at the agency's notify time (tracker.digest: once a week).
    "tracker-weekly-digests": {
        "task": "tracker.tasks.weekly_digests",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    "esign-reminders": {
        "task": "esign.tasks.reminders_sweep",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "helpdesk-agency-updates": {
        "task": "helpdesk.tasks.agency_updates_sweep",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The escalation kit when a statutory date passes (escalation.sending).
    "escalation-kit-sweep": {
        "task": "escalation.tasks.kit_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# Security headers that hold everywhere; production.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# /metrics (Prometheus): a bearer token, or else clients from these networks only.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
PROMETHEUS_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)

LOG_FORMAT = env("LOG_FORMAT", default="plain")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "ops.logs.ContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s agency=%(agency_id)s]: "
            "%(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s %(agency_id)s",
            # ISO 8601 in UTC ("2026-12-01T20:33:07.123456+00:00"): the process's local
            # clock is Django's TIME_ZONE, and a time without its offset is ambiguous.
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The access line replaces django.server's, which prints the query string.
        "django.server": {"level": "WARNING"},
        "ops.access": {"level": env("ACCESS_LOG_LEVEL", default="INFO")},
    },
}
