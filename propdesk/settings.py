"""propdesk settings: one module, configured from environment variables.

Every setting has a safe embedded default so that a fresh clone runs with no configuration:
SQLite in ``var/``, a secret key generated once into ``var/``, Chinese first, Asia/Shanghai.
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PROPDESK_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if envbool("PROPDESK_PRODUCTION", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when PROPDESK_PRODUCTION is on")
    # One machine, no configuration: keep a generated key beside the database.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The site's public address for links in messages. Unset, a message written while serving a web
# request links to the address that request came to (core.notify.site_url).
SITE_URL = os.environ.get("SITE_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "propdesk.core",
    "propdesk.org",
    "propdesk.customers",
    "propdesk.catalog",
    "propdesk.tickets",
    "propdesk.hotline",
    "propdesk.aftercare",
    "propdesk.notices",
    "propdesk.guide",
    "propdesk.community",
    "propdesk.complaints",
    "propdesk.surveys",
    "propdesk.forum",
    "propdesk.committee",
    "propdesk.history",
    "propdesk.board",
    "propdesk.console",
    "propdesk.portal",
    "propdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "propdesk.core.middleware.LanguageMiddleware",
    # Links in the messages a request writes point to the address it came to (unless SITE_URL).
    "propdesk.core.notify.SiteAddressMiddleware",
    "propdesk.core.middleware.OutOfRangeMiddleware",
    # Cache-Control: no-store, private on every answer to someone signed in (personal data).
    "propdesk.core.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "propdesk.org.middleware.TotpEnrolmentMiddleware",
    # Last: it turns a sign-in refused for a lockout into a 429 (see AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "propdesk.urls"
WSGI_APPLICATION = "propdesk.wsgi.application"

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
                "propdesk.portal.context_processors.portal",
            ],
        },
    }
]

# SQLite in WAL mode with IMMEDIATE transactions, so concurrent writers queue instead of failing.
_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'propdesk.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = _SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out username before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "propdesk" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve static files straight from the apps, so one machine needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PROPDESK_MAX_PHOTO_BYTES = envint("PROPDESK_MAX_PHOTO_BYTES", 8 * 1024 * 1024)
# Lists count their rows up to this many, then say "more than" (see core/pagination.py).
PROPDESK_COUNT_CAP = envint("PROPDESK_COUNT_CAP", 1000)
# An API Idempotency-Key is remembered this long, then freed (docs/api.md).
PROPDESK_IDEMPOTENCY_KEY_HOURS = envint("PROPDESK_IDEMPOTENCY_KEY_HOURS", 24)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

REST_FRAMEWORK = {
    # The token first: its answer to a call that is not signed in is 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "propdesk.org.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["propdesk.core.api.IsStaff"],
    "DEFAULT_PAGINATION_CLASS": "propdesk.core.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "propdesk.core.api.exception_handler",
    # Per client address, on the staff token endpoint (docs/operations.md#signing-in).
    "DEFAULT_THROTTLE_RATES": {"signin": os.environ.get("PROPDESK_SIGNIN_RATE", "30/minute")},
    # The client's address is X-Forwarded-For's only behind that many proxies of our own: a
    # client cannot dodge the rate by sending the header itself.
    "NUM_PROXIES": envint("PROPDESK_PROXY_COUNT", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "propdesk API",
    "DESCRIPTION": "The service center's REST API: requests, customers, catalogue, hotline.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for staff and integrators who sign in, like the API itself.
    "SERVE_PERMISSIONS": ["propdesk.core.api.IsStaff"],
    # Swagger UI served from our own static files: no CDN, works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the errors it can give (core/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "propdesk.core.schema.document_errors",
    ],
    # Several models have a "kind" or "state"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "HotlineLineKindEnum": "propdesk.org.models.HotlineLine.Kind",
        "CallStateEnum": "propdesk.hotline.models.Call.State",
        "CallOutcomeEnum": "propdesk.hotline.models.Call.Outcome",
        "QuoteStateEnum": "propdesk.tickets.models.Quote.State",
        "TicketKindEnum": "propdesk.tickets.models.Kind",
        "CustomerKindEnum": "propdesk.customers.models.Customer.Kind",
        "ServiceCategoryKindEnum": "propdesk.catalog.models.ServiceCategory.Kind",
        "DepartmentKindEnum": "propdesk.org.models.Department.Kind",
        "RequestKindEnum": "propdesk.tickets.serializers.REQUEST_KINDS",
        "ComplaintCategoryEnum": "propdesk.complaints.models.Complaint.Category",
        "ComplaintSeverityEnum": "propdesk.complaints.models.Complaint.Severity",
        "NoticeCategoryEnum": "propdesk.notices.models.Notice.Category",
        # What a forum post or a survey answer is turned into.
        "OpenAsEnum": [("request", "request"), ("complaint", "complaint")],
    },
}

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Every task survives its worker's death (docs/operations.md#guarantees): a task is acknowledged
# only when it has run, and one whose worker process died is given back to the broker, so
# another worker runs it again (every task is idempotent). One task reserved at a time per
# process, so a killed worker takes few with it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down fails a send within seconds, not after a long wait: the change has
# committed and answers; the sweeper sends the work later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Urgent messages' delivery runs go to this queue, which workers consume besides the default
# one (propdesk/celery.py), so they never wait behind bulk work.
PROPDESK_URGENT_QUEUE = os.environ.get("PROPDESK_URGENT_QUEUE", "propdesk.urgent")
# A delivery run owns a message it took this many seconds: a message whose run died after
# handing it to the gateway is sent again (with the same key) this long after, not sooner.
PROPDESK_DELIVERY_LEASE = envint("PROPDESK_DELIVERY_LEASE", 30)
# With no broker, `propdesk serve` runs the periodic schedule (propdesk/schedule.py) in-process,
# waking this often (seconds) to run the jobs that are due.
PROPDESK_SCHEDULER_TICK = 60

PHONENUMBER_DEFAULT_REGION = "CN"
# Notifications: the SMS backend (ConsoleSmsBackend logs; HttpSmsGateway posts to a gateway),
# and the quiet hours (local time, from-to) when non-urgent SMS wait for the morning.
PROPDESK_SMS_BACKEND = os.environ.get("PROPDESK_SMS_BACKEND", "propdesk.core.sms.ConsoleSmsBackend")
PROPDESK_SMS_GATEWAY_URL = os.environ.get("PROPDESK_SMS_GATEWAY_URL", "")
PROPDESK_SMS_GATEWAY_TOKEN = os.environ.get("PROPDESK_SMS_GATEWAY_TOKEN", "")
PROPDESK_QUIET_HOURS = (envint("PROPDESK_QUIET_FROM", 22), envint("PROPDESK_QUIET_UNTIL", 8))

# Shared secret the phone system may send (X-Propdesk-CTI-Secret) to post call events.
PROPDESK_CTI_SECRET = os.environ.get("PROPDESK_CTI_SECRET", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The mail server (docs/operations.md#e-mail), for EMAIL_BACKEND=...smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)  # TLS from the start, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)  # seconds; within the delivery lease
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "propdesk@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # errors sent to ADMINS

# Signing in (docs/operations.md#signing-in): one policy for staff and customers. After
# PROPDESK_SIGNIN_LOCK_AFTER wrong passwords (or codes) in a row an account is locked for
# PROPDESK_SIGNIN_LOCK_MINUTES; the portal's accounts and the staff's (django-axes) alike.
PROPDESK_SIGNIN_LOCK_AFTER = envint("PROPDESK_SIGNIN_LOCK_AFTER", 5)
PROPDESK_SIGNIN_LOCK_MINUTES = envint("PROPDESK_SIGNIN_LOCK_MINUTES", 15)
# A staff API token lives this many days from sign-in (org.tokens).
PROPDESK_STAFF_TOKEN_DAYS = envint("PROPDESK_STAFF_TOKEN_DAYS", 30)
# Staff sign-ins and failed tries (django-axes' logs) are kept this many days.
PROPDESK_SIGNIN_LOG_DAYS = envint("PROPDESK_SIGNIN_LOG_DAYS", 180)
# On: company roles must enrol an authenticator app (TOTP) before they may work.
PROPDESK_TOTP_REQUIRED = envbool("PROPDESK_TOTP_REQUIRED", False)
OTP_TOTP_ISSUER = "propdesk"
# django-axes: staff sign-in lockout by username, whoever tries it and from wherever; a wrong
# try while locked does not lengthen the lock, and a right one clears the count (as the portal).
AXES_FAILURE_LIMIT = PROPDESK_SIGNIN_LOCK_AFTER
AXES_COOLOFF_TIME = dt.timedelta(minutes=PROPDESK_SIGNIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed try: who, when, from where, for the admin
AXES_LOCKOUT_CALLABLE = "propdesk.org.signin.lockout_response"
AXES_VERBOSE = False
# axes.W006 asks for the address among the lock's keys: we lock the username alone (a shared
# office address must not lock a whole office out) and slow each address by the "signin" rate.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Behind a reverse proxy: how many proxies stand in front, so the audit records the client's
# address from X-Forwarded-For rather than the proxy's.
AXES_IPWARE_PROXY_COUNT = envint("PROPDESK_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("PROPDESK_PRODUCTION", False)
# HTTPS in production (docs/operations.md, "HTTPS"): a reverse proxy terminates TLS and says so in
# a header it sets on every request (and strips from the client's); plain HTTP is redirected,
# except the load balancer's health check; HSTS for as long as the environment says.
if _proxy_ssl_header := os.environ.get(
    "PROPDESK_PROXY_SSL_HEADER",
    "X-Forwarded-Proto" if envbool("PROPDESK_PRODUCTION", False) else "",
):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = envbool("PROPDESK_SSL_REDIRECT", envbool("PROPDESK_PRODUCTION", False))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("PROPDESK_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("PROPDESK_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("PROPDESK_HSTS_PRELOAD", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
