"""Settings for the aggregator cybersecurity portal.

One module, driven by the environment. Development: DJANGO_DEBUG=1 (the setup script sets it).
Production: DJANGO_DEBUG unset, SECRET_KEY and ALLOWED_HOSTS required, DATABASE_URL for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "outbox",  # the lowest app: every e-mail, queued and retried (accounts sends mail too)
    "accounts",
    "checklists",
    "filings",
    "reviews",
    "reports",
    "portal",  # the project shell: settings, root URLs, home page, demo data
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.private_pages_not_cached",
    "accounts.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.tasks",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# The embedded default must hold concurrent requests: WAL lets readers run beside the one writer,
# IMMEDIATE takes the write lock when a transaction starts (so two writers queue instead of one
# failing with "database is locked" when its read lock cannot be upgraded), and the busy timeout
# is how long a writer waits for its turn.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
# An empty DATABASE_URL is treated as unset: dj-database-url cannot parse it.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "var" / "db.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # Tests use a file too (not shared-cache memory, whose table locks ignore the busy timeout),
    # one per process so that parallel runs do not meet.
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/portal-test-{os.getpid()}.sqlite3"}  # noqa: S108

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+address pair after repeated failures; an admin can reset it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "accounts.http.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
# One row per failure: the per-account count across addresses below is read from it.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# The client address behind reverse proxies (audit log and lockout): how many proxies in front of
# the portal append to which header. 0: no proxy, REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")

# Many failures on one account from any addresses within the window: the account's logins are
# slowed for browsers it has not logged in from, and the user and admins are told once per window
# (see accounts/lockout.py).
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_ACCOUNT_WINDOW = 60 * 60  # seconds
LOGIN_ACCOUNT_SLOWDOWN = 30  # seconds between password checks from unknown browsers
# Under attack, a new browser that proves a second factor first is not slowed (login_proof.py).
LOGIN_PROOF_TTL = 15 * 60  # seconds an e-mailed code, and a proof, stay valid
LOGIN_PROOF_TRIES = 5  # codes tried per account and address an hour
LOGIN_PROOF_MAIL_INTERVAL = 60  # seconds between two codes mailed to one account
# The login slowdown and the password-change throttle count in the cache: production shares one
# across gunicorn's worker processes (a database table, `createcachetable`; scripts/serve makes it).
if not DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
# Wrong current passwords in the password-change form, per user and window.
PASSWORD_CHANGE_FAILURE_LIMIT = 5
PASSWORD_CHANGE_WINDOW = 15 * 60  # seconds

# Multi-factor authentication (TOTP and single-use recovery codes, django-otp): required for the
# regulator roles when enforced, offered to everyone. Development keeps it optional so the demo
# accounts log in with a password; MFA_ENFORCED=1 tries the production behaviour.
MFA_ENFORCED = env_bool("MFA_ENFORCED", not DEBUG)
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "reviewer,review_lead,admin")
OTP_TOTP_ISSUER = "Aggregator Cybersecurity Portal"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
# Display formats per language (ja: 2026年11月29日 23時41分); see portal/formats/.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    # Evidence is private: served only through views that check access, never by URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: no inline script or style anywhere; Bootstrap's CSS uses data: SVGs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
PASSWORD_RESET_TIMEOUT = 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

if env_bool("EMAIL_SMTP", not DEBUG):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Evidence limits (bytes). DATA_UPLOAD_MAX_MEMORY_SIZE does not limit files: the form checks these.
EVIDENCE_MAX_FILE_BYTES = int(os.environ.get("EVIDENCE_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_MAX_FILING_BYTES = int(os.environ.get("EVIDENCE_MAX_FILING_BYTES", str(200 * 1024 * 1024)))
EVIDENCE_MAX_EXPANDED_BYTES = 100 * 1024 * 1024
# Malware scanning of evidence (filings/scanning.py). CLAMD_SOCKET (a UNIX socket path) or
# CLAMD_HOST (+ CLAMD_PORT) selects ClamAV's clamd; an upload is refused when clamd finds something
# or cannot be reached (fail closed). With neither set, no scanner runs (NullScanner).
# EVIDENCE_SCANNER (a dotted class path) overrides the choice.
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "").strip()
CLAMD_HOST = os.environ.get("CLAMD_HOST", "").strip()
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
EVIDENCE_SCANNER = os.environ.get("EVIDENCE_SCANNER", "").strip() or (
    "filings.scanning.ClamdScanner"
    if CLAMD_SOCKET or CLAMD_HOST
    else "filings.scanning.NullScanner"
)
# Business may start only 30 days after the filing is accepted; warn below that, and below 1,000 kW.
FILING_START_NOTICE_DAYS = 30
FILING_THRESHOLD_KW = 1000

# Background work: reports render through Django's tasks framework. The immediate backend runs them
# in the request (development, tests); production sets TASKS_BACKEND=database and runs
# `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("TASKS_BACKEND") == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}

# Signed anchors of the audit chain (accounts/anchors.py), one JSON file each, outside the database;
# beside the evidence, so that the backup keeps them.
AUDIT_ANCHOR_DIR = Path(os.environ.get("AUDIT_ANCHOR_DIR", MEDIA_ROOT / "audit-anchors"))

# PAdES signing of reports: PEM key and certificate. `manage.py create_signing_certificate` makes a
# self-signed development pair at these default paths.
REPORT_SIGNING_KEY = Path(
    os.environ.get("REPORT_SIGNING_KEY", BASE_DIR / "var" / "signing" / "key.pem")
)
REPORT_SIGNING_CERT = Path(
    os.environ.get("REPORT_SIGNING_CERT", BASE_DIR / "var" / "signing" / "cert.pem")
)
