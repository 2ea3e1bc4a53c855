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
    "drf_spectacular",
    "django_filters",
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
    "dangjian.membership",
    "dangjian.elections",
    "dangjian.statistics",
    "dangjian.finance",
    "dangjian.notices",
    "dangjian.partyschool",
    "dangjian.honours",
    "dangjian.review",
    "dangjian.column",
    "dangjian.manual",
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
            # {% url %} remembers its reversals (core/templatetags/url_cache.py).
            "builtins": ["dangjian.core.templatetags.url_cache"],
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
    # Persistent connections: seconds a worker keeps its connection (0: one per request).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
        )
    }
    # Bounded work on PostgreSQL. JIT compiles long generated expressions for minutes and
    # cannot be cancelled meanwhile: off unless asked for. Web requests (the WSGI entry point
    # sets DANGJIAN_WEB) stop any statement after DATABASE_STATEMENT_TIMEOUT ms (default
    # 30 s, 0: none), so no query runs on after its request is gone; management commands and
    # background jobs (exports, imports, load_demo) are not cut. Behind PgBouncer in
    # transaction mode, add `options` to its ignore_startup_parameters or set these on the
    # database role (ALTER ROLE … SET jit = off).
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pg_options = [] if env_bool("DATABASE_JIT", False) else ["-c jit=off"]
        statement_timeout = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30000"))
        if env_bool("DANGJIAN_WEB", False) and statement_timeout > 0:
            pg_options.append(f"-c statement_timeout={statement_timeout}")
        if pg_options:
            DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(pg_options)
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

# Counters over a whole institution are kept this many seconds (core.aggregates); 0: always live.
AGGREGATE_CACHE_SECONDS = int(os.environ.get("AGGREGATE_CACHE_SECONDS", "60"))

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

# Lockout after repeated failed logins from one address for one user name (core.authguard).
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
# Sessions: with Redis (production) read from the cache and written through to the database
# (a restarted Redis signs no one out); without it (the demo) from the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "dangjian.core.authentication.ApiTokenAuthentication",
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
        "AwayKindEnum": "dangjian.membership.models.AwayKind",
        "DuesKindEnum": "dangjian.finance.models.DuesKind",
        "PaymentStateEnum": "dangjian.finance.models.PaymentState",
        "FundKindEnum": "dangjian.finance.models.FundKind",
        "ModelUnitKindEnum": "dangjian.honours.models.UnitKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # PDF downloads: WeasyPrint logs each step and every browser-only rule of print.css.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
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
    "dangjian.membership.reminders.collect",
    "dangjian.membership.reminders.collect_transfers",
    "dangjian.finance.reminders.collect",
    "dangjian.elections.reminders.collect",
    "dangjian.honours.reminders.collect",
    "dangjian.column.reminders.collect",
]

# --- deploy ---
# Outgoing mail (password reset, notices) through the institution's SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")  # default: a mail server on this machine
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))  # 465 with EMAIL_USE_SSL, 587 with TLS
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")  # empty: no SMTP authentication
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")  # the account's password
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS (usually port 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS (usually port 465)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds; never hang a worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")  # sender
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # sender of error mail
# PostgreSQL connections are kept (DATABASE_CONN_MAX_AGE, 60 s); check one before reusing it,
# so a restarted database server costs no failed request.
if DATABASE_URL:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)

# --- uploads ---
# Largest file (MB) an upload field accepts: attachments, evidence, meeting and development files.
UPLOAD_MAX_MB = int(os.environ.get("UPLOAD_MAX_MB", "10"))
# Per-area caps (MB) overriding UPLOAD_MAX_MB, e.g. "meetings=20,evidence=15"; areas: duty,
# evidence (task progress), meetings, development, assessment.
UPLOAD_AREA_MAX_MB = {
    area.strip(): int(mb)
    for area, _, mb in (
        item.partition("=") for item in os.environ.get("UPLOAD_AREA_MAX_MB", "").split(",")
    )
    if mb.strip()
}
# Largest people-import workbook (MB).
UPLOAD_IMPORT_MAX_MB = int(os.environ.get("UPLOAD_IMPORT_MAX_MB", "20"))
# Rows one Excel import of records (core.imports: meetings, study hours, positions, dossiers)
# may hold; each row is checked by the services, so a larger file is split.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
# What one such workbook may unpack to (MB): its compressed size is what the upload limit
# counts, and XML rows compress a hundredfold.
IMPORT_MAX_UNPACKED_MB = int(os.environ.get("IMPORT_MAX_UNPACKED_MB", "50"))
# Stored bytes (MB) of the files one person may have uploaded in all.
UPLOAD_QUOTA_MB = int(os.environ.get("UPLOAD_QUOTA_MB", "500"))
# Uploaded files readable by the service account only (octal; Django's default is 644).
FILE_UPLOAD_PERMISSIONS = int(os.environ.get("FILE_UPLOAD_PERMISSIONS", "640"), 8)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = int(
    os.environ.get("FILE_UPLOAD_DIRECTORY_PERMISSIONS", "750"), 8
)
# Knows the uploader of a request and removes the files of writes that rolled back.
MIDDLEWARE = [*MIDDLEWARE, "dangjian.core.uploads.UploadMiddleware"]

# --- authentication ---
# Second factor (django-otp): authenticator apps (TOTP) and single-use recovery codes.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# After AuthenticationMiddleware: marks request.user verified by a second factor.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
# After MessageMiddleware (they sign out with a message): session timeouts, then the second factor.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "dangjian.core.middleware.SessionTimeoutMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("dangjian.core.middleware.SessionTimeoutMiddleware") + 1,
    "dangjian.core.middleware.SecondFactorMiddleware",
)
# Throttle of every sign-in path (core.authguard). Per user name and address: the limits above.
AUTH_PAIR_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AUTH_PAIR_WINDOW_MINUTES = LOGIN_LOCKOUT_MINUTES
# Per user name from any address: this many failures in the window lock the name ...
AUTH_NAME_FAILURE_LIMIT = int(os.environ.get("AUTH_NAME_FAILURE_LIMIT", "20"))
AUTH_NAME_WINDOW_MINUTES = int(os.environ.get("AUTH_NAME_WINDOW_MINUTES", "15"))
# ... for this long, doubling with each further lock within a day, up to the maximum.
AUTH_NAME_LOCK_MINUTES = int(os.environ.get("AUTH_NAME_LOCK_MINUTES", "5"))
AUTH_NAME_LOCK_MAX_MINUTES = int(os.environ.get("AUTH_NAME_LOCK_MAX_MINUTES", "60"))
# An address where the user signed in within this many days is exempt from the name lock.
AUTH_KNOWN_ADDRESS_DAYS = int(os.environ.get("AUTH_KNOWN_ADDRESS_DAYS", "90"))
# Per address across any names: this many failures in the window block the address that long.
AUTH_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AUTH_ADDRESS_FAILURE_LIMIT", "30"))
AUTH_ADDRESS_WINDOW_MINUTES = int(os.environ.get("AUTH_ADDRESS_WINDOW_MINUTES", "60"))
# Sessions end 8 h after sign-in (SESSION_COOKIE_AGE) and after this many idle minutes.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
# API tokens expire this many days after they are issued.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
# Enforce the second factor for those who must have one (never turn off in production).
OTP_ENFORCE = env_bool("OTP_ENFORCE", True)
# Also require a second factor of every officer (secretaries and committee members).
OTP_REQUIRED_FOR_OFFICERS = env_bool("OTP_REQUIRED_FOR_OFFICERS", False)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "党建平台")

# --- audit ---
# Security audit of every request (refusals, 三员分立), placed right after authentication.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "dangjian.core.security_audit.SecurityAuditMiddleware",
)
# The audit administrator has no API, also with a token.
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [
    *REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"],
    "dangjian.core.security_audit.NotAuditAdministrator",
]
# Days audit rows stay in the database before `dangjian archive_audit` archives them (>= 180).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))
# Where `dangjian archive_audit` writes its compressed archives and SHA-256 manifests.
AUDIT_ARCHIVE_DIR = Path(os.environ.get("AUDIT_ARCHIVE_DIR", DATA_DIR / "audit-archive"))
# Paths the audit administrator may open besides /audit/, sign-in/out and password (e.g. OTP).
AUDIT_ROLE_EXTRA_PATHS = env_list("AUDIT_ROLE_EXTRA_PATHS", "")

# --- backup and API contract ---
# The schema describes what the API really answers: times without offset, error bodies declared.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "dangjian.core.schema.AutoSchema"
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "dangjian.core.schema.add_error_responses",
]
# Where `dangjian backup` writes when no --output is given (archives hold personal data: keep the
# directory readable by the service account only, and copy the archives elsewhere).
BACKUP_DIR = Path(os.environ.get("DANGJIAN_BACKUP_DIR", DATA_DIR / "backups"))

# --- hardening ---
# Middleware: SecurityHeaders (no-store, Permissions-Policy) and django-csp right after
# WhiteNoise, so static files keep their long cache and every refusal below still gets headers;
# RequestLimit right after AuthenticationMiddleware (it asks whether the visitor signed in).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "dangjian.core.middleware_security.SecurityHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("dangjian.core.middleware_security.SecurityHeadersMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "dangjian.core.middleware_security.RequestLimitMiddleware",
)
# Content-Security-Policy (django-csp): no inline script anywhere; inline style attributes only
# (style-src-attr), never <style> elements. CSP_FORM_ACTION_EXTRA: origins a form may post or
# redirect to besides ours (e.g. the CAS server for single sign-out), comma-separated.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *env_list("CSP_FORM_ACTION_EXTRA", "")],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        # Browsers report violations here when set (e.g. /csp-report/ of a collector).
        **(
            {"report-uri": [os.environ["CSP_REPORT_URI"]]}
            if os.environ.get("CSP_REPORT_URI")
            else {}
        ),
    },
}
# Powerful browser features the platform never uses: switched off for every page.
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=()",
)
# Request bodies (uploads included): at most this many bytes, answered 413 by Content-Length
# before anything reads the body; a smaller cap for visitors with no session and no token
# (suggestion box, survey links, sign-in, token). Keep upload size caps below it.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(DATA_UPLOAD_MAX_MEMORY_SIZE)))
ANONYMOUS_REQUEST_MAX_BYTES = int(os.environ.get("ANONYMOUS_REQUEST_MAX_BYTES", str(64 * 1024)))
# JSON bodies nested deeper than this answer 400 (core.parsers.json_depth_error).
JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))
# Rate limits and throttles count in this cache alias (Redis when REDIS_URL is set).
RATE_LIMIT_CACHE = os.environ.get("RATE_LIMIT_CACHE", "default")
# The survey answer page and its API, per visitor address (DRF rate: "60/min", "600/hour").
SURVEY_PUBLIC_RATE = os.environ.get("SURVEY_PUBLIC_RATE", "60/min")
# Hand-written form/API text fields without their own max_length accept at most this many
# characters (model TextFields state their own limits: core.text_limits).
TEXT_INPUT_MAX_LENGTH = int(os.environ.get("TEXT_INPUT_MAX_LENGTH", "5000"))


# --- personal data encryption ---
# ID numbers and phone numbers are encrypted at rest (dangjian.core.crypto). Cipher:
# "aes-256-gcm" (default) or "sm4-gcm" (SM4 with an HMAC-SM3 keyed hash, for 密评 GB/T 39786-2021).
DANGJIAN_CRYPTO_ALGORITHM = os.environ.get("DANGJIAN_CRYPTO_ALGORITHM", "aes-256-gcm")
# Data keys "id:base64key,id:base64key": the first encrypts, every one listed still decrypts.
DANGJIAN_DATA_KEYS = os.environ.get("DANGJIAN_DATA_KEYS", "")
# The key of the keyed hash (HMAC) used for uniqueness and exact search, base64 (≥ 16 bytes).
DANGJIAN_HASH_KEY = os.environ.get("DANGJIAN_HASH_KEY", "")
if not (DANGJIAN_DATA_KEYS and DANGJIAN_HASH_KEY) and not DEBUG:
    raise ImproperlyConfigured(
        "DANGJIAN_DATA_KEYS and DANGJIAN_HASH_KEY must be set when DEBUG is off "
        "(see README: 个人信息加密)."
    )
if DANGJIAN_DATA_KEYS:  # fail at start, not at the first request that reads a person
    from dangjian.core.rules import parse_key_list

    try:
        parse_key_list(DANGJIAN_DATA_KEYS)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANGJIAN_DATA_KEYS: {exc}") from exc

# --- identity ---
# Account opening, activation links, password reset by e-mail, CAS and OpenID Connect sign-in
# (dangjian.accounts). Every value comes from the environment; see README, 账号开通与统一身份认证.
INSTALLED_APPS += ["dangjian.accounts", "django_cas_ng", "mozilla_django_oidc"]
# Holds users with an initial password on the page that replaces it (after the second factor:
# the password is changed by someone who has proved both).
MIDDLEWARE.insert(
    MIDDLEWARE.index("dangjian.core.middleware.SecondFactorMiddleware") + 1,
    "dangjian.accounts.middleware.ForcePasswordChangeMiddleware",
)
# User names of bulk accounts: staff_number (工号/学号, default), phone, or id ("p<person id>").
ACCOUNT_USERNAME_RULE = os.environ.get("ACCOUNT_USERNAME_RULE", "staff_number")
if ACCOUNT_USERNAME_RULE not in ("staff_number", "phone", "id"):
    raise ImproperlyConfigured("ACCOUNT_USERNAME_RULE must be staff_number, phone or id.")
# Days an activation link (or an initial password not yet replaced) stays valid.
ACCOUNT_ACTIVATION_DAYS = int(os.environ.get("ACCOUNT_ACTIVATION_DAYS", "14"))
# Most people one batch may open (a larger subtree is opened organisation by organisation).
ACCOUNT_BATCH_MAX = int(os.environ.get("ACCOUNT_BATCH_MAX", "5000"))
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
# The SMTP server (EMAIL_HOST …) is set in the deploy block above.

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

# --- The institution's rules ----------------------------------------------------------------
# Every rule an institution may set differently, with the source document's value as the
# default (docs/DOMAIN.md says which article each comes from). Set them in a settings module
# that imports this one. None means "the rules module's own table".
from dangjian.appraisal import rules as _appraisal  # noqa: E402 (pure rules, no Django)
from dangjian.assessment import rules as _assessment  # noqa: E402
from dangjian.branches import rules as _branches  # noqa: E402
from dangjian.column import rules as _column  # noqa: E402
from dangjian.development import rules as _development  # noqa: E402
from dangjian.elections import rules as _elections  # noqa: E402
from dangjian.finance import rules as _finance  # noqa: E402
from dangjian.honours import rules as _honours  # noqa: E402
from dangjian.membership import rules as _membership  # noqa: E402
from dangjian.notices import rules as _notices  # noqa: E402
from dangjian.orglife import rules as _orglife  # noqa: E402
from dangjian.outreach import rules as _outreach  # noqa: E402
from dangjian.partyschool import rules as _partyschool  # noqa: E402
from dangjian.reports import rules as _reports  # noqa: E402
from dangjian.review import rules as _review  # noqa: E402
from dangjian.surveys import rules as _surveys  # noqa: E402

APPRAISAL_DEFAULT_WEIGHTS = _appraisal.DEFAULT_WEIGHTS
APPRAISAL_GRADE_BANDS = _appraisal.DEFAULT_BANDS
APPRAISAL_MASSES_POOR_BELOW = _appraisal.MASSES_POOR_BELOW
APPRAISAL_RECTIFY_DAYS = _appraisal.RECTIFY_DAYS
ASSESSMENT_ANSWER_DAYS = _assessment.ANSWER_DAYS
ASSESSMENT_APPEAL_DAYS = _assessment.APPEAL_DAYS
ASSESSMENT_FUND_FACTORS = None
ASSESSMENT_FUND_PER_STAFF = _assessment.FUND_PER_STAFF
ASSESSMENT_FUND_PER_STUDENT = _assessment.FUND_PER_STUDENT
BRANCHES_COMMITTEE_THRESHOLD = _branches.COMMITTEE_THRESHOLD
BRANCHES_TIMELINE = None
DEVELOPMENT_MIN_AGE = _development.Params().min_age
DEVELOPMENT_CULTIVATION_YEARS = _development.Params().cultivation_years
DEVELOPMENT_NOTICE_DAYS = _development.Params().notice_days
DEVELOPMENT_PROBATION_YEARS = _development.Params().probation_years
DEVELOPMENT_CONVERSION_LEAD_MONTHS = _development.Params().conversion_lead_months
DEVELOPMENT_SPONSOR_REPORT_MONTHS = _development.Params().sponsor_report_months
DEVELOPMENT_BRANCH_REPORT_MONTHS = _development.Params().branch_report_months
AWAY_CONTACT_DAYS = _membership.CONTACT_DAYS
TRANSFER_LETTER_VALID_DAYS = _membership.LETTER_VALID_DAYS
TRANSFER_SLIP_REMINDER_DAYS = _membership.SLIP_REMINDER_DAYS
TRANSFER_APPROVAL_REQUIRED = _membership.APPROVAL_REQUIRED
FINANCE_DUES_RATES = _finance.DuesRates()  # brackets, fixed amounts (中组发〔2008〕3号)
FINANCE_DUES_LAPSE_MONTHS = _finance.LAPSE_MONTHS
FINANCE_DUES_RETURN_RATIO = _finance.RETURN_RATIO
FINANCE_FUND_PER_STAFF = _finance.FUND_PER_STAFF
FINANCE_FUND_PER_STUDENT = _finance.FUND_PER_STUDENT
ELECTION_TERM_YEARS = _elections.TERM_YEARS  # by organisation kind (基层组织选举工作条例)
ELECTION_REMINDER_MONTHS = _elections.REMINDER_MONTHS
ELECTION_MARGIN_PERCENT = _elections.MARGIN_PERCENT  # 差额 at least 20% of the seats
HONOURS_ROUND_INTERVAL_YEARS = _honours.ROUND_INTERVAL_YEARS
HONOURS_NOTICE_DAYS = _honours.NOTICE_DAYS  # no source sets it: the development notice's 5 days
HONOURS_REMINDER_DAYS = _honours.REMINDER_DAYS
HONOURS_MODEL_UNIT_COUNTS = None  # kind -> (fewest, most); None: honours.rules.UNIT_COUNTS
NOTICE_MAX_ATTACHMENTS = _notices.MAX_ATTACHMENTS
NOTICE_DIGEST_FIRST_DAYS = _notices.DIGEST_FIRST_DAYS
# Seconds the unread count of the bell is kept per user (dropped at once when they read).
NOTICE_BELL_CACHE_SECONDS = int(os.environ.get("NOTICE_BELL_CACHE_SECONDS", "60"))
# 联述联评联考: (masses' rating, the level above's review) in per cent, grade bands, and the
# shortest report — ours, the seed gives none (《组织建设年实施方案》§四(三)).
REVIEW_WEIGHTS = _review.DEFAULT_WEIGHTS
REVIEW_GRADE_BANDS = _review.DEFAULT_BANDS
REVIEW_REPORT_MIN_CHARS = _review.REPORT_MIN_CHARS
ORGLIFE_SEMESTER_START_MONTHS = _orglife.DEFAULT_SEMESTER_START_MONTHS
ORGLIFE_STAFF_HOURS = _orglife.DEFAULT_STAFF_HOURS
ORGLIFE_STAFF_INTEGRITY_HOURS = _orglife.DEFAULT_STAFF_INTEGRITY_HOURS
ORGLIFE_STUDENT_HOURS = _orglife.DEFAULT_STUDENT_HOURS
# Sign-in to a planned meeting opens this many minutes before its start (until its end).
ORGLIFE_SIGNIN_OPENS_MINUTES = _orglife.DEFAULT_SIGNIN_OPENS_MINUTES
ORGLIFE_MEETING_MAX_FILES = _orglife.DEFAULT_MEETING_MAX_FILES
# The sign-in QR code is replaced every ROTATE seconds; the one replaced stays valid GRACE seconds.
ORGLIFE_SIGNIN_ROTATE_SECONDS = int(
    os.environ.get("ORGLIFE_SIGNIN_ROTATE_SECONDS", str(_orglife.DEFAULT_SIGNIN_ROTATE_SECONDS))
)
ORGLIFE_SIGNIN_GRACE_SECONDS = int(
    os.environ.get("ORGLIFE_SIGNIN_GRACE_SECONDS", str(_orglife.DEFAULT_SIGNIN_GRACE_SECONDS))
)
OUTREACH_FOLLOW_UP_DAYS = _outreach.FOLLOW_UP_DAYS
OUTREACH_FREQUENCIES = None
OUTREACH_MAX_CONTACTS = _outreach.MAX_CONTACTS
OUTREACH_MIN_CONTACTS = _outreach.MIN_CONTACTS
OUTREACH_SEMESTER_STARTS = _outreach.SEMESTER_STARTS
# The Party-school exam's pass mark and full score (ours: the source says only 合格).
PARTYSCHOOL_PASS_MARK = _partyschool.PASS_MARK
PARTYSCHOOL_MAX_SCORE = _partyschool.MAX_SCORE
SURVEY_MIN_RESPONSES = _surveys.MIN_RESPONSES
SURVEY_MIN_RESPONSES_FLOOR = _surveys.MIN_RESPONSES_FLOOR
SURVEY_RATING_SCORES = None
COCKPIT_GREEN_PERCENT = _reports.DEFAULT_GREEN_PERCENT
COCKPIT_RED_PERCENT = _reports.DEFAULT_RED_PERCENT
# The work column (工作专栏): photos and attachments per article; seconds a shared cache may
# keep a public column page (a withdrawn article is gone from caches within this time).
COLUMN_MAX_PHOTOS = _column.MAX_PHOTOS
COLUMN_MAX_ATTACHMENTS = _column.MAX_ATTACHMENTS
COLUMN_REVIEW_DAYS = _column.REVIEW_DAYS
COLUMN_PUBLIC_CACHE_SECONDS = int(os.environ.get("COLUMN_PUBLIC_CACHE_SECONDS", "300"))


# --- background jobs ---
# Exports (and other long work) run as jobs (core.jobs) on Celery. Production: a broker (Redis;
# defaults to REDIS_URL) and `celery -A dangjian worker` (deploy/dangjian-worker.service), on
# this machine or others. Without a broker (the demo, the tests) a job runs in the request that
# starts it, so the demo needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_IGNORE_RESULT = True  # a job's state and result are in its row (core.Job)
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job leaves it for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: take one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "dangjian")
# Days a finished export's file is kept for download (then `sweep_reminders` removes it).
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
# Hours after which a job still queued or running is recorded as failed (its worker is gone).
JOB_STALE_HOURS = int(os.environ.get("JOB_STALE_HOURS", "6"))
