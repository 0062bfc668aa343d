"""Settings of the django-helpdesk project (``bench.helpdesk_site``), as its installation guide
asks, with DRF's token authentication for its API (``POST /helpdesk/api/tickets/``).

``HELPDESK_DATABASE_URL`` names the database (as ``FLOOR_DATABASE_URL`` does for the floor).
"""

import os
from pathlib import Path

from bench.floor.settings import _database

SECRET_KEY = "bench-helpdesk-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SITE_ID = 1
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "account",  # django-user-accounts and pinax-teams: helpdesk's migrations need them
    "pinax.invitations",
    "pinax.teams",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "bench.helpdesk_site.urls"
WSGI_APPLICATION = "bench.helpdesk_site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ.get("HELPDESK_MEDIA_ROOT", str(Path("/tmp") / "bench-helpdesk-media"))
# As propdesk's default: mail is written to the worker's output, not sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

DATABASES = {
    "default": _database(os.environ.get("HELPDESK_DATABASE_URL", "sqlite:///helpdesk.sqlite3"))
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}
