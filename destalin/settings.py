"""Settings for Destalin, read from the environment (12-factor).

Production differences are environment variables; see the README for each of them.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from destalin import critical_css

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, or DEBUG=1 for local "
            "development (make run does this)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's form widget templates, found by TemplatesSetting below.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "destalin",
    "readings",
    "discussions",
    "discussions.grading",
    "destalin.courses",
    # LTI 1.3: pylti1p3's registration and key models (edited in the admin), then ours.
    "destalin.lti.apps.ToolConfigConfig",
    "destalin.lti",
]

MIDDLEWARE = [
    "destalin.request_log.RequestLogMiddleware",
    "destalin.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "destalin.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Between CSP and sessions: frames for LTI launches, see destalin/lti/middleware.py.
    "destalin.lti.middleware.LtiFramingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "destalin.middleware.SessionLifetimeMiddleware",
    "destalin.two_factor.TwoFactorSetupMiddleware",
    "destalin.middleware.TimeZoneMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "destalin.middleware.PrivatePagesMiddleware",
    "destalin.middleware.NormalizeTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "destalin.urls"
WSGI_APPLICATION = "destalin.wsgi.application"

# Forms render through the project's templates, so templates/django/forms/widgets/ can keep
# people's text in option labels safe (``stripbidi``) for every form at once.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
            # Times are shown only through these filters (destalin.times), on every page;
            # people's text where <bdi> cannot go through `stripbidi`.
            "builtins": ["destalin.templatetags.times", "destalin.templatetags.people_text"],
        },
    },
]

# Databases: SQLite in the project directory unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during a write; IMMEDIATE transactions plus a busy timeout make
    # concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "destalin.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Cache (and with it cached sessions and rate-limit counters): Redis when REDIS_URL is set,
# for several app servers; otherwise a table in the database, which the worker processes of
# one server share (process memory would give each worker its own rate limits).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "destalin_cache",
        }
    }

# Sessions: shared classroom computers, so short idle and absolute lifetimes.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_IDLE_SECONDS = SESSION_COOKIE_AGE
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers and HTTPS, configurable behind a proxy that terminates TLS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preload stays off unless asked for, and Django's warning about it is silenced below: the
# preload list takes whole registrable domains (example.edu, never destalin.example.edu), and
# the `preload` directive is the consent anyone may act on to put a domain there, for every
# subdomain and for months. Whether a school's domain goes on it is the decision of whoever
# runs that domain, not an application's default.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# No inline script or style anywhere: everything comes from our own static files, but for
# the first paint's style sheet, inlined and allowed by its hash (destalin/critical_css.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, critical_css.csp_source()],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"
# Uploaded originals of readings, through the storage API (STORAGES["default"]): on this disk
# by default; with several app servers, a shared S3-compatible store (README, "Files").
# Never served as static files: a view checks who may download each one.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers share one S3-compatible bucket through django-storages (the optional
# `s3` extra); its credentials come from boto3's own environment (AWS_ACCESS_KEY_ID, ...).
if os.environ.get("STORAGE_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            # Originals are handed out by a view that checks membership, never by bucket URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Email: console in development; SMTP when EMAIL_HOST is set. Every mail is queued and sent
# by the task worker (destalin/mail.py); the `destalin.E001`/`E002` checks refuse a
# production start whose links or sender would point at this machine.
# The address people reach the site at, for every link in mail, and the name mail signs with.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_NAME = "Destalin"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Destalin <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    # A hung mail server must not hang the request that posted.
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Accounts (django-allauth): email is the login, no usernames.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "destalin.forms.SignupExtraForm"
# Mandatory everywhere, development included: with verification mandatory, sign-up of an
# existing address looks the same as a new one (the owner gets a mail instead), so addresses
# cannot be enumerated; anything else is refused by `check --deploy` (destalin.E003).
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Destalin] "
# Queues allauth's mail like ours, and builds its links from SITE_URL.
ACCOUNT_ADAPTER = "destalin.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# Single sign-on (allauth's socialaccount): a school's OpenID Connect provider, added in the
# admin as a "Social application" (provider "OpenID Connect", the provider's address in its
# settings: {"server_url": "https://idp.example.edu"}). An account is found by the provider's
# subject ("sub") alone: an address it sends never signs anyone into an existing account,
# verified or not (the owner connects the two once, signed in); new people get an account.
SOCIALACCOUNT_ADAPTER = "destalin.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

# Two-factor sign-in (allauth's MFA): an authenticator app (TOTP) with recovery codes, or
# passkeys and security keys (WebAuthn). Anyone may turn it on; teachers must when the site
# or one of their courses says so (destalin/two_factor.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "destalin.adapter.MFAAdapter"
# WebAuthn needs a secure origin: https in production; plain http only on this machine.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# "teachers": every instructor, TA and staff member must use two-factor sign-in; "" leaves it
# to each course (its settings page) and to each person.
TWO_FACTOR_REQUIRED_FOR = os.environ.get("TWO_FACTOR_REQUIRED_FOR", "")
if TWO_FACTOR_REQUIRED_FOR not in {"", "teachers"}:
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED_FOR must be 'teachers' or empty.")

# Background work (mail): queued in the database, run by `manage.py db_worker`. Set
# TASKS_BACKEND=immediate to run tasks inline instead (no worker needed).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Courses.
# "instructors": only users whom staff marked as instructors may create courses (a school's
# deployment); "anyone": every signed-in user may, as on Piazza or Ed.
COURSE_CREATION = os.environ.get("COURSE_CREATION", "instructors")
if COURSE_CREATION not in {"instructors", "anyone"}:
    raise ImproperlyConfigured("COURSE_CREATION must be 'instructors' or 'anyone'.")
JOIN_RATE_PER_USER = os.environ.get("JOIN_RATE_PER_USER", "10/h")
JOIN_RATE_PER_ADDRESS = os.environ.get("JOIN_RATE_PER_ADDRESS", "30/h")
# Posting limits per student (teachers are exempt), as django-ratelimit rates.
POST_RATE_PER_MINUTE = os.environ.get("POST_RATE_PER_MINUTE", "10/m")
POST_RATE_PER_HOUR = os.environ.get("POST_RATE_PER_HOUR", "100/h")
# The client address, for every rate limit: the proxy's X-Forwarded-For is believed only when
# TRUST_X_FORWARDED_FOR says one proxy sits in front (a forged header is otherwise ignored).
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("TRUST_X_FORWARDED_FOR") else 0
RATELIMIT_IP_META_KEY = "destalin.net.client_ip"

# Request bodies. Django's own ceilings are the largest any form needs (a gradebook import's
# preview carries the 1.5 MB file again, base64, so about 2 MB); each view's own ceiling,
# refused from Content-Length before anything reads the body, is smaller (request_limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# A form of the site: 20,000 characters of Markdown, URL-encoded, fit in 256 kB even when
# every character takes four bytes.
REQUEST_BODY_LIMIT = 256 * 1024
# A reading's file (a 300-page scanned chapter is about 40 MB); larger uploads are refused
# from their Content-Length, before any byte is read.
READING_UPLOAD_MAX_BYTES = int(os.environ.get("READING_UPLOAD_MAX_MB", "50")) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Request lines are JSON already; the time and level go in front, for grep and for
        # log collectors that split on the first brace.
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's own access lines would log the query string: ours replace them.
        "django.server": {"level": "WARNING"},
    },
}
