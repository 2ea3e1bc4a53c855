"""One settings module, driven by environment variables (see README, 配置)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DANGJIAN_DATA_DIR", Path.cwd() / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production is the default: DEBUG must be switched on explicitly for development.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "django_fsm",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dangjian.core",
    "dangjian.org",
    "dangjian.targets",
    "dangjian.posts",
    "dangjian.public",
    "dangjian.reports",
    "dangjian.orglife",
    "dangjian.development",
    "dangjian.outreach",
    "dangjian.surveys",
    "dangjian.appraisal",
    "dangjian.assessment",
    "dangjian.branches",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.scope",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "dangjian.sqlite3",
            # WAL lets readers and the single writer work side by side.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

# Shared cache: throttles, lockout counters and rate limits must hold across every worker, so
# production uses Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0). Without it (the demo, one
# process) a local-memory cache is used.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dangjian"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (core.rules.login_locked).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Security: safe by default, relaxed only when DEBUG is on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "dangjian.core.api.CursorPagination",
    "DEFAULT_PARSER_CLASSES": [
        "dangjian.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dangjian.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dangjian API",
    "DESCRIPTION": "基层党建“168”机制工作平台 REST API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for signed-in users (and API clients with a token) only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several fields get one name each (else --fail-on-warn fails).
    "ENUM_NAME_OVERRIDES": {
        "BranchCategoryEnum": "dangjian.org.models.BranchCategory",
        "PersonCategoryEnum": "dangjian.org.models.PersonCategory",
        "PartyStatusEnum": "dangjian.org.models.PartyStatus",
        "OrgKindEnum": "dangjian.org.models.OrgKind",
        "SuggestionCategoryEnum": "dangjian.public.models.SuggestionCategory",
        "SuggestionStatusEnum": "dangjian.public.models.SuggestionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Suggestion box (意见箱): at most this many suggestions per client address per window.
SUGGESTION_RATE_LIMIT = int(os.environ.get("SUGGESTION_RATE_LIMIT", "5"))
SUGGESTION_RATE_WINDOW_SECONDS = int(os.environ.get("SUGGESTION_RATE_WINDOW_SECONDS", "3600"))

# Behind nginx: take the visitor's address from the X-Forwarded-For entry the proxy appended
# (login lockout records, suggestion-box rate limit). Only set this when a proxy is in front.
BEHIND_PROXY = env_bool("DANGJIAN_BEHIND_PROXY", False)

# The reminder sweep (dangjian sweep_reminders) asks each of these for what falls due.
REMINDER_PROVIDERS = [
    "dangjian.targets.reminders.collect",
    "dangjian.reports.reminders.collect",
    "dangjian.outreach.reminders.collect",
    "dangjian.orglife.reminders.collect",
    "dangjian.development.reminders.collect",
    "dangjian.branches.reminders.collect",
    "dangjian.assessment.reminders.collect",
    "dangjian.appraisal.reminders.collect",
]

# --- identity ---
# Account opening, activation links, password reset by e-mail, CAS and OpenID Connect sign-in
# (dangjian.accounts). Every value comes from the environment; see README, 账号开通与统一身份认证.
INSTALLED_APPS += ["dangjian.accounts", "django_cas_ng", "mozilla_django_oidc"]
# Holds users with an initial password on the page that replaces it (after authentication).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "dangjian.accounts.middleware.ForcePasswordChangeMiddleware",
)
# User names of bulk accounts: staff_number (工号/学号, default), phone, or id ("p<person id>").
ACCOUNT_USERNAME_RULE = os.environ.get("ACCOUNT_USERNAME_RULE", "staff_number")
if ACCOUNT_USERNAME_RULE not in ("staff_number", "phone", "id"):
    raise ImproperlyConfigured("ACCOUNT_USERNAME_RULE must be staff_number, phone or id.")
# Days an activation link (or an initial password not yet replaced) stays valid.
ACCOUNT_ACTIVATION_DAYS = int(os.environ.get("ACCOUNT_ACTIVATION_DAYS", "14"))
# Minutes the officer who opened a batch can print its links/passwords (then: reissue).
ACCOUNT_HANDOUT_MINUTES = int(os.environ.get("ACCOUNT_HANDOUT_MINUTES", "60"))
# Password-reset requests and SSO failures allowed per client address (and per e-mail) per window.
ACCOUNT_THROTTLE_LIMIT = int(os.environ.get("ACCOUNT_THROTTLE_LIMIT", "5"))
ACCOUNT_THROTTLE_WINDOW_SECONDS = int(os.environ.get("ACCOUNT_THROTTLE_WINDOW_SECONDS", "900"))
# Password-reset links expire after this many seconds (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))

# E-mail: EMAIL_BACKEND = console (default with DEBUG), smtp (default without), or file.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = os.environ.get("EMAIL_BACKEND", "console" if DEBUG else "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured("EMAIL_BACKEND must be console, smtp or file.")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
# The file backend writes one file per message into this folder.
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", DATA_DIR / "mail"))
# SMTP server; the password only from the environment.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# STARTTLS (usually port 587) or implicit TLS (port 465); not both.
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
# Sender of password-reset mail.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dangjian@localhost")

# Passwords; and the initial passwords of 账号开通 (kept as SHA-256 on the grant, expiring).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "dangjian.accounts.backends.InitialPasswordBackend",
]

# CAS (统一身份认证): on when CAS_SERVER_URL is set, e.g. https://cas.example.edu.cn/cas/.
# The CAS user is matched to Person.staff_number; nobody else can sign in, no account is created.
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
# Protocol version: 3 (/p3/serviceValidate) or 2 (/serviceValidate).
CAS_VERSION = os.environ.get("CAS_VERSION", "3")
# The site's public root (https://dangjian.example.edu.cn): the service URL sent to CAS is
# built from it, never from the request's Host header.
CAS_ROOT_PROXIED_AS = os.environ.get("SITE_URL", "")
CAS_STORE_NEXT = True
CAS_CREATE_USER = False
CAS_REDIRECT_URL = "/"
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_VERIFY_SSL_CERTIFICATE = True
if CAS_SERVER_URL:
    if not CAS_ROOT_PROXIED_AS and not DEBUG:
        raise ImproperlyConfigured("SITE_URL must be set when CAS_SERVER_URL is.")
    AUTHENTICATION_BACKENDS.append("dangjian.accounts.sso.CasBackend")

# OpenID Connect: on when OIDC_RP_CLIENT_ID is set; endpoints from the provider's
# /.well-known/openid-configuration. id_tokens signed RS256, checked with the JWK set.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
# Optional: claims are read from the signed id_token, completed by userinfo when set.
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
# The provider's issuer; when set, an id_token from any other issuer is refused.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
# The claim holding the 工号/学号.
OIDC_STAFF_NUMBER_CLAIM = os.environ.get("OIDC_STAFF_NUMBER_CLAIM", "preferred_username")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_CREATE_USER = False
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/login/"
if OIDC_RP_CLIENT_ID:
    if not (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT):
        raise ImproperlyConfigured(
            "OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT "
            "must be set when OIDC_RP_CLIENT_ID is."
        )
    AUTHENTICATION_BACKENDS.append("dangjian.accounts.sso.OidcBackend")
