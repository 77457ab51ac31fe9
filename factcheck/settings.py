"""Settings for factcheck: one module, every value read from the environment.

`.env.example` lists every variable. Unset DATABASE_URL means a local SQLite file; unset
CELERY_BROKER_URL means Celery tasks run eagerly in-process (the demo and the bare test run);
with DEBUG off, either needs FACTCHECK_EMBEDDED=1.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import drf_spectacular
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

from extraction.matching.defaults import DEFAULT_CONFLICT_CONTEXT_THRESHOLD, DEFAULT_SAME_THRESHOLD
from factcheck.env import env_bool, env_float, env_int, env_list, env_str
from factcheck.security import inline_style_hashes

BASE_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(env_str("FACTCHECK_SHARED_DIR", str(BASE_DIR.parent / "shared")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-dev-only-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
elif env_bool("FACTCHECK_OFFLINE_COMMAND", False):
    # Set by manage.py for score_sentences / propose_claims / train_claim_model, which sign
    # nothing and serve no request: a throwaway key is enough.
    SECRET_KEY = SECRET_KEY or secrets.token_urlsafe(50)
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's absolute address, used for every link that leaves the app (public fact-check
# pages, ClaimReview `url`, emails, webhook payloads): one host, never the request's.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

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
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "articles",
    "claims",
    "matching",
    "factchecks",
    "integrations",
    # Public fact-check pages, ClaimReview, corrections (above matching, below the API).
    "publishing",
    # Email notifications: receivers of claims' signals, after matching's (factcheck/notifications).
    "notifications",
    # The REST API on top of the apps above (no models; its ready() registers schema hooks).
    "api",
    # The editors' dashboard (reads claims, articles and matching; nothing imports it).
    "dashboard",
    # Project-wide system checks (factcheck/checks.py).
    "factcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

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
                # Entries and badge counts that apps register (factcheck.navigation).
                "factcheck.navigation.navigation",
            ],
            # The admin index's warning about queues nobody consumes (factcheck.workers).
            "libraries": {"factcheck_ops": "factcheck.admin_tags"},
        },
    },
]

# DATABASE_URL unset -> SQLite file next to the code (demo, bare test run); set -> PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
# Embedded mode: SQLite and Celery tasks run in-process, with nothing else to start. DEBUG
# implies it; with DEBUG off it must be asked for (`make demo` and the bare test run do),
# because a production server missing DATABASE_URL or CELERY_BROKER_URL would otherwise
# quietly write to a local file, run every task inside the web request, and report ready.
FACTCHECK_EMBEDDED = env_bool("FACTCHECK_EMBEDDED", DEBUG)
if not (FACTCHECK_EMBEDDED or env_bool("FACTCHECK_OFFLINE_COMMAND", False)):
    for _name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        if not env_str(_name):
            raise ImproperlyConfigured(
                f"{_name} must be set when DEBUG is off; for SQLite and in-process tasks "
                "(a demo or a single-machine trial) set FACTCHECK_EMBEDDED=1"
            )
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    # No JIT: at 730k match rows the claims list's estimated cost set it off, 564 ms compiling
    # a query that ran in 2 ms. The app's queries are short OLTP ones; JIT never pays for them.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Reviewers and the in-process worker write at the same time: wait instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Celery -------------------------------------------------------------------------------
# Broker unset -> tasks run eagerly in-process, so the demo needs no Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# Redis through kombu's transport with one client per channel (see factcheck/broker.py);
# other schemes (rediss://, sentinel://) keep kombu's own transport.
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "factcheck.broker:Transport"
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only after it finished, and handed back to the queue if the worker
# process dies under it: a SIGKILLed worker loses no article.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup opens a database connection per task unless this is set; worker
# connections follow CONN_MAX_AGE instead (see factcheck/celery.py), and are also renewed
# after this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang an import request when Redis is down: fail fast, the sweep requeues.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # kombu 5.7 scans for messages a dead worker left unacknowledged only on every 10th
    # 10-second sweep; scan on each sweep, as earlier kombu did (one ZRANGE a sweep).
    "unacked_restore_throttle": 1,
    "max_retries": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = "default"
# Every queue a task is routed to, declared: a plain `celery -A factcheck worker` (Celery's
# convention) consumes them all; `-Q` still picks some for a dedicated worker. Undeclared,
# a plain worker consumed only "default" and imported articles stayed pending for good.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in ("default", "proposals", "matching", "webhooks", "notifications")
]
CELERY_TASK_ROUTES = {
    "claims.tasks.propose_claims": {"queue": "proposals"},
    "claims.tasks.match_claims": {"queue": "matching"},
    "factchecks.tasks.match_article_fact_checks": {"queue": "matching"},
    "factchecks.tasks.rematch_recent_claims": {"queue": "matching"},
    # Deliveries wait on other services (up to WEBHOOK_TIMEOUT_SECONDS each): a slow or dead
    # receiver must not hold up the sweeps and heartbeat on "default".
    "integrations.tasks.deliver_webhook": {"queue": "webhooks"},
    # Emails wait on the mail server (up to EMAIL_TIMEOUT): their own queue, like deliveries.
    "notifications.tasks.send_notification": {"queue": "notifications"},
}
# The sweep that re-enqueues articles whose message or worker was lost (claims.tasks); cron
# users run `manage.py requeue_stale_articles` instead of beat.
PROPOSAL_SWEEP_INTERVAL_SECONDS = env_int("PROPOSAL_SWEEP_INTERVAL_SECONDS", 30)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-articles": {
        "task": "claims.tasks.requeue_stale_articles",
        "schedule": PROPOSAL_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": "default", "expires": PROPOSAL_SWEEP_INTERVAL_SECONDS},
    },
    # Matching messages lost with the broker or a worker: match what was never matched.
    "match-unmatched-claims": {
        "task": "claims.tasks.match_unmatched_claims",
        "schedule": PROPOSAL_SWEEP_INTERVAL_SECONDS,
        "options": {"queue": "default", "expires": PROPOSAL_SWEEP_INTERVAL_SECONDS},
    },
    # Claims deleted since (re-proposal, deleted articles) leave their counts in the matching
    # index's key frequencies: recount them (cron users: `manage.py recount_match_terms`).
    "recount-match-terms": {
        "task": "claims.tasks.recount_match_terms",
        "schedule": env_int("MATCH_TERMS_RECOUNT_SECONDS", 86400),
        "options": {"queue": "default", "expires": env_int("MATCH_TERMS_RECOUNT_SECONDS", 86400)},
    },
}

# --- Claim proposal -----------------------------------------------------------------------
# Name of the scorer articles are proposed with (extraction.scoring.load_scorer): "news"
# is the shipped model with its news head (calibrated on news), "default" the debate-trained
# model alone, "rules" the transparent rule-based scorer.
CLAIM_SCORER = env_str("CLAIM_SCORER", "news")
# Sentences scoring at or above this become Claims; unset uses the scorer's own threshold.
CLAIM_PROPOSAL_THRESHOLD = env_float("CLAIM_PROPOSAL_THRESHOLD", None)
# Articles left pending/running longer than this are re-enqueued by the sweep.
PROPOSAL_STALE_AFTER_SECONDS = env_int("PROPOSAL_STALE_AFTER_SECONDS", 600)
# Sooner when the message is known lost: pending this long while the proposals queue is empty
# (a Redis restart emptied it), or running on a worker whose heartbeat stopped. With the
# defaults below a desk sees such articles proposed within about a minute.
PROPOSAL_LOST_AFTER_SECONDS = env_int("PROPOSAL_LOST_AFTER_SECONDS", 30)
# Retries of a transient failure (database, soft time limit) before the article is marked
# failed; the first retry waits about PROPOSAL_RETRY_BACKOFF_SECONDS, each next one twice as long.
PROPOSAL_MAX_RETRIES = env_int("PROPOSAL_MAX_RETRIES", 3)
PROPOSAL_RETRY_BACKOFF_SECONDS = env_float("PROPOSAL_RETRY_BACKOFF_SECONDS", 2.0)
# Runs of one request (retries, lost workers, hard time limits) before it is marked failed.
PROPOSAL_MAX_ATTEMPTS = env_int("PROPOSAL_MAX_ATTEMPTS", 8)
# Dotted path of the pipeline function (text in, ProposalResult out).
CLAIM_PIPELINE = env_str("CLAIM_PIPELINE", "extraction.pipeline.propose")

# --- Claim matching across articles (the matching app) -----------------------------------
# The two thresholds default to the pure matcher's tuned values (extraction.matching.defaults,
# measured on the project's labelled pairs: precision 0.96, recall 0.96 at 0.32); the limits
# below are defined here only. matching.index.MatchOptions reads all of them from settings.
# Similarity at or above which two claims are linked as the same fact.
CLAIM_MATCH_SAME_THRESHOLD = env_float("CLAIM_MATCH_SAME_THRESHOLD", DEFAULT_SAME_THRESHOLD)
# How much two sentences must share besides their figures for the figures to be compared.
CLAIM_MATCH_CONFLICT_THRESHOLD = env_float(
    "CLAIM_MATCH_CONFLICT_THRESHOLD", DEFAULT_CONFLICT_CONTEXT_THRESHOLD
)
# Candidates compared in full per new claim, found through the match key index.
CLAIM_MATCH_CANDIDATE_LIMIT = env_int("CLAIM_MATCH_CANDIDATE_LIMIT", 30)
# The rarest keys of a claim used for the lookup, and the most claims a usable key may have.
CLAIM_MATCH_QUERY_KEYS = env_int("CLAIM_MATCH_QUERY_KEYS", 8)
CLAIM_MATCH_MAX_KEY_DF = env_int("CLAIM_MATCH_MAX_KEY_DF", 2000)
# Claims compared and committed together; a matching task stops starting chunks after
# CLAIM_MATCH_RUN_SECONDS (well inside CELERY_TASK_SOFT_TIME_LIMIT) and queues the rest.
CLAIM_MATCH_CHUNK_SIZE = env_int("CLAIM_MATCH_CHUNK_SIZE", 200)
CLAIM_MATCH_RUN_SECONDS = env_int("CLAIM_MATCH_RUN_SECONDS", 60)
# Passes over an article whose matching keeps failing before the sweep leaves it alone.
CLAIM_MATCH_MAX_ATTEMPTS = env_int("CLAIM_MATCH_MAX_ATTEMPTS", 5)
# The most claims proposed per article (its highest-scoring); a 4.7 MB article gave 45,728.
PROPOSAL_MAX_CLAIMS_PER_ARTICLE = env_int("PROPOSAL_MAX_CLAIMS_PER_ARTICLE", 2000)

# --- Import -------------------------------------------------------------------------------
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# A file of many articles (.zip, .json, .jsonl), and what a .zip may unpack to in total.
IMPORT_MAX_BATCH_BYTES = env_int("IMPORT_MAX_BATCH_BYTES", 100 * 1024 * 1024)
IMPORT_ZIP_MAX_MEMBERS = env_int("IMPORT_ZIP_MAX_MEMBERS", 10_000)
IMPORT_BULK_LIMIT = env_int("IMPORT_BULK_LIMIT", 500)
IMPORT_FETCH_TIMEOUT = env_int("IMPORT_FETCH_TIMEOUT", 10)
# The largest request body (Django's default is 2.5 MB: 450 ordinary articles): a full API
# batch of IMPORT_BULK_LIMIT articles of up to IMPORT_MAX_BYTES, held in memory only up to what
# a many-article file may be (IMPORT_MAX_BATCH_BYTES), plus room for the JSON around the texts.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(
    IMPORT_MAX_BYTES, min(IMPORT_BULK_LIMIT * IMPORT_MAX_BYTES, IMPORT_MAX_BATCH_BYTES)
) + (1024 * 1024)
# Hosts that may be fetched even though they resolve to private/loopback addresses (tests).
IMPORT_ALLOWED_PRIVATE_HOSTS = env_list("IMPORT_ALLOWED_PRIVATE_HOSTS")

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasCapability"],
    # JSON only, and a body nested too deeply is a 400 (DRF's JSONParser raises a 500).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONBodyParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.renderers.ORJSONRenderer",  # JSONRenderer's output, faster
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
}
# Requests per token scope ("user": browser sessions, "anon": no credentials); empty = no limit.
API_THROTTLE_RATES = {
    "read": env_str("API_RATE_READ", "1200/min"),
    "review": env_str("API_RATE_REVIEW", "600/min"),
    "import": env_str("API_RATE_IMPORT", "600/min"),
    "admin": env_str("API_RATE_ADMIN", "1200/min"),
    "user": env_str("API_RATE_USER", "1200/min"),
    "anon": env_str("API_RATE_ANON", "60/min"),
}
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200)
# Lists report an exact `count` up to this many rows, then "at least" (no COUNT(*) over 1M rows).
API_COUNT_LIMIT = env_int("API_COUNT_LIMIT", 1000)
# The changes feed serves only changes at least this old, so a transaction that committed a
# little late (its updated_at earlier than a change already served) is never skipped.
API_CHANGES_SETTLE_SECONDS = env_float("API_CHANGES_SETTLE_SECONDS", 2.0)
API_CSV_CHUNK_SIZE = env_int("API_CSV_CHUNK_SIZE", 2000)
# Seconds a token lookup is cached (0: never). Revoking clears it; with a per-process cache
# other processes may accept a revoked token for up to this long.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 5)

# --- Webhooks -----------------------------------------------------------------------------
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10)
# Retry n waits base * 2**(n-1) seconds, at most the max: 10 s, 20 s, ... 1 h (~3 h in all).
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 10)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600)
# Hosts that may receive webhooks although they resolve to private/loopback addresses (tests).
WEBHOOK_ALLOWED_PRIVATE_HOSTS = env_list("WEBHOOK_ALLOWED_PRIVATE_HOSTS")
# Re-sends deliveries whose retry message was lost (broker down, worker killed).
CELERY_BEAT_SCHEDULE["sweep-webhook-deliveries"] = {
    "task": "integrations.tasks.sweep_webhook_deliveries",
    "schedule": env_int("WEBHOOK_SWEEP_INTERVAL_SECONDS", 60),
    "options": {"expires": env_int("WEBHOOK_SWEEP_INTERVAL_SECONDS", 60)},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": (
        "Claims, review status, changes feed and ClaimReview export for newsroom services."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "ImportOutcomeStatusEnum": ["created", "duplicate", "error"],
    },
}
FACTCHECK_ORGANIZATION_NAME = env_str("FACTCHECK_ORGANIZATION_NAME", "Factcheck Desk")
FACTCHECK_ORGANIZATION_URL = env_str("FACTCHECK_ORGANIZATION_URL", "http://localhost:8000/")

# LOG_FORMAT=json: one JSON object per line for log shippers; plain: readable lines. Every
# record carries the request id (factcheck.middleware) and passes the secret redaction filter.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "factcheck.logging.RequestIdFilter"},
        "redact": {"()": "factcheck.logging.RedactSecretsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "factcheck.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# The worker logs through LOGGING above (JSON included) instead of Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security and deployment --------------------------------------------------------------
# Old keys that still verify signatures (sessions, webhook secrets) while SECRET_KEY rotates.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

INSTALLED_APPS += ["csp", "axes", "drf_spectacular_sidecar"]
MIDDLEWARE = [
    # First: every later log record carries the request id, and probes skip the host check
    # and the HTTPS redirect (see HealthCheckMiddleware).
    "factcheck.middleware.RequestIdMiddleware",
    "factcheck.middleware.HealthCheckMiddleware",
    *MIDDLEWARE,
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a lockout raised during login into a 429 response.
    "axes.middleware.AxesMiddleware",
]

# HTTPS. On by default in production: redirect to https, Secure cookies, HSTS.
# FACTCHECK_PLAIN_HTTP=1 opts out for a site deliberately served over plain HTTP (a trial on
# localhost, a closed network); `check --deploy` then says so (factcheck.W001) instead of
# Django's four separate warnings. DEBUG implies it, for the development server.
FACTCHECK_PLAIN_HTTP = env_bool("FACTCHECK_PLAIN_HTTP", DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not FACTCHECK_PLAIN_HTTP)
# Only behind a proxy that sets X-Forwarded-Proto itself: otherwise clients could forge it.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
# Secure cookies and HSTS follow the opt-out, not SECURE_SSL_REDIRECT: a proxy that does the
# redirect itself still needs them.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not FACTCHECK_PLAIN_HTTP)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not FACTCHECK_PLAIN_HTTP)
SESSION_COOKIE_HTTPONLY = True
# The CSRF cookie stays readable by scripts: the API docs send it as a header, and Django's
# docs note that hiding it gains nothing (the token is in every form anyway).
CSRF_COOKIE_HTTPONLY = False
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if FACTCHECK_PLAIN_HTTP else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preload is a commitment (every subdomain HTTPS-only for good) an operator opts into; without
# it, check --deploy's "cannot be submitted to the preload list" note is expected, not a fault.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if FACTCHECK_PLAIN_HTTP:
    # Replaced by factcheck.W001, which names the opt-out (factcheck/checks.py).
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts and styles only from our own origin, no
# inline script. The reviewer pages ship their JS (htmx included) as static files, the admin
# needs nothing else, and Swagger UI is served from drf-spectacular-sidecar's static files.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    # Plus the hash of the one static <style> block of drf-spectacular's Swagger UI page.
    "style-src": [
        SELF,
        *inline_style_hashes(
            Path(drf_spectacular.__file__).parent / "templates/drf_spectacular/swagger_ui.html"
        ),
    ],
    # Swagger UI and the admin draw a few icons as data: URIs.
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only, for trying a
# change on a live site before enforcing it. The default under DEBUG: Django's debug pages use
# inline styles and scripts, and a developer still sees every violation in the console.
if env_bool("CSP_REPORT_ONLY", DEBUG):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

# Swagger UI / ReDoc assets from the drf-spectacular-sidecar package, not a CDN.
SPECTACULAR_SETTINGS |= {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Login protection (django-axes) on every login form (reviewer login and admin): after
# AXES_FAILURE_LIMIT failures for one username from one address, that pair is locked out for
# AXES_COOLOFF_MINUTES, right password or not. Keying on the pair means an attacker cannot
# lock a reviewer out from elsewhere. `manage.py axes_reset` unlocks early.
AUTHENTICATION_BACKENDS = [
    "factcheck.auth_backends.AxesRequestBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Health: /readyz fails when no worker ran the heartbeat task for this long (broker mode).
HEARTBEAT_INTERVAL_SECONDS = env_int("HEARTBEAT_INTERVAL_SECONDS", 30)
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 120)
# The worker writes the heartbeat and web reads it: with a broker they meet in Redis (the
# broker's own server unless HEALTH_CACHE_URL says otherwise); eager mode needs no heartbeat.
HEALTH_CACHE_URL = env_str("HEALTH_CACHE_URL", CELERY_BROKER_URL)
HEARTBEAT_CACHE_ALIAS = "health"
# The default cache holds API token lookups and the per-token throttle counters. Empty means
# memory of each process: right for one process (the demo, tests), but with several gunicorn
# workers each keeps its own counters and a revoked token stays cached in the others for
# API_TOKEN_CACHE_SECONDS. Point it at Redis (compose does) to share both.
CACHE_URL = env_str("CACHE_URL")


def _is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://"))


def _cache(url: str, location: str) -> dict:
    if _is_redis(url):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}


def default_cache(url: str) -> dict:
    """The default cache for CACHE_URL: a Redis outage degrades to memory (factcheck/cache.py)."""
    if not _is_redis(url):
        return _cache(url, "default")
    return {
        "BACKEND": "factcheck.cache.ResilientRedisCache",
        "LOCATION": url,
        # A dead or unroutable host must not hold a request: redis-py waits forever by default.
        "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
    }


if CACHE_URL and not _is_redis(CACHE_URL):
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// or rediss:// URL, got {CACHE_URL!r}")
CACHES = {
    "default": default_cache(CACHE_URL),
    # A broker that is not Redis leaves the heartbeat in process memory (eager mode needs none).
    HEARTBEAT_CACHE_ALIAS: _cache(HEALTH_CACHE_URL, "health"),
}
# Each worker process records itself and its queues (factcheck.workers) this often; the
# record expires after WORKER_ALIVE_SECONDS, which is how soon a killed worker counts as gone.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_ALIVE_SECONDS = env_int("WORKER_ALIVE_SECONDS", 30)
if WORKER_ALIVE_SECONDS <= WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("WORKER_ALIVE_SECONDS must exceed WORKER_HEARTBEAT_SECONDS")
CELERY_IMPORTS = ["factcheck.health", "factcheck.workers"]
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "factcheck.health.heartbeat",
    "schedule": HEARTBEAT_INTERVAL_SECONDS,
    # A heartbeat queued while no worker runs is worthless later: let it expire.
    "options": {"queue": "default", "expires": HEARTBEAT_INTERVAL_SECONDS},
}

# Navigation badge counts (factcheck.navigation) are cached per user this long.
NAV_BADGE_CACHE_SECONDS = env_int("NAV_BADGE_CACHE_SECONDS", 30)

# Score tiers shown in the queue and on the article page (claims.tiers): a score at or above
# CLAIM_TIER_HIGH is "high", at or above CLAIM_TIER_MEDIUM "medium", else "low".
CLAIM_TIER_HIGH = env_float("CLAIM_TIER_HIGH", 0.43)
CLAIM_TIER_MEDIUM = env_float("CLAIM_TIER_MEDIUM", 0.132)

# --- Deadlines, escalation, verdict expiry and saved views (claims.deadlines) ---------------
# A proposed claim is due this many hours after it was proposed, by score tier (claims.tiers);
# an editor's DeadlineRule (admin) can make it more urgent, never less.
DEADLINE_HOURS_HIGH = env_int("DEADLINE_HOURS_HIGH", 4)
DEADLINE_HOURS_MEDIUM = env_int("DEADLINE_HOURS_MEDIUM", 24)
DEADLINE_HOURS_LOW = env_int("DEADLINE_HOURS_LOW", 72)
# How often overdue claims are looked for; each is escalated (editors emailed) once.
ESCALATION_INTERVAL_SECONDS = env_int("ESCALATION_INTERVAL_SECONDS", 300)
# At most this many claims per escalation email (the rest go in the next run's).
ESCALATION_BATCH = env_int("ESCALATION_BATCH", 200)
# A verdict on a claim of these types (or matching an ExpiryRule) is due for re-check this
# many days after it was set.
VERDICT_EXPIRY_DAYS = env_int("VERDICT_EXPIRY_DAYS", 180)
VERDICT_EXPIRY_TYPES = env_list("VERDICT_EXPIRY_TYPES", "quantity")
EXPIRY_SWEEP_INTERVAL_SECONDS = env_int("EXPIRY_SWEEP_INTERVAL_SECONDS", 3600)
# The desk figures (median time to verdict, share overdue) are recomputed at most this often.
DESK_FIGURES_CACHE_SECONDS = env_int("DESK_FIGURES_CACHE_SECONDS", 300)
# How many saved views a reviewer may keep.
SAVED_VIEWS_PER_USER = env_int("SAVED_VIEWS_PER_USER", 30)
if "notifications" not in {q.name for q in CELERY_TASK_QUEUES}:
    CELERY_TASK_QUEUES.append(Queue("notifications", Exchange("notifications"), "notifications"))
CELERY_TASK_ROUTES["claims.tasks.send_escalation_email"] = {"queue": "notifications"}
CELERY_BEAT_SCHEDULE["escalate-overdue-claims"] = {
    "task": "claims.tasks.escalate_overdue_claims",
    "schedule": ESCALATION_INTERVAL_SECONDS,
    "options": {"queue": "default", "expires": ESCALATION_INTERVAL_SECONDS},
}
CELERY_BEAT_SCHEDULE["announce-expired-verdicts"] = {
    "task": "claims.tasks.announce_expired_verdicts",
    "schedule": EXPIRY_SWEEP_INTERVAL_SECONDS,
    "options": {"queue": "default", "expires": EXPIRY_SWEEP_INTERVAL_SECONDS},
}

# --- Editors' dashboard (dashboard app) ---------------------------------------------------
# Beat recomputes the last DASHBOARD_STATS_RECENT_DAYS days of the aggregate tables every
# DASHBOARD_STATS_REFRESH_SECONDS, and every day of them every DASHBOARD_STATS_REBUILD_SECONDS
# (drift from deleted claims); `manage.py dashboard_rebuild` does the latter by hand.
DASHBOARD_STATS_REFRESH_SECONDS = env_int("DASHBOARD_STATS_REFRESH_SECONDS", 300)
DASHBOARD_STATS_RECENT_DAYS = env_int("DASHBOARD_STATS_RECENT_DAYS", 2)
DASHBOARD_STATS_REBUILD_SECONDS = env_int("DASHBOARD_STATS_REBUILD_SECONDS", 86400)
# The page's default range (days up to today) and the longest range it accepts.
DASHBOARD_DEFAULT_DAYS = env_int("DASHBOARD_DEFAULT_DAYS", 30)
DASHBOARD_MAX_RANGE_DAYS = env_int("DASHBOARD_MAX_RANGE_DAYS", 366)
# Overdue and due-for-recheck are counted live up to this many, then shown as "1,000+"
# (each counted claim costs one index entry).
DASHBOARD_LIVE_COUNT_CAP = env_int("DASHBOARD_LIVE_COUNT_CAP", 1000)
if DASHBOARD_STATS_RECENT_DAYS < 1 or DASHBOARD_DEFAULT_DAYS < 1:
    raise ImproperlyConfigured("DASHBOARD_STATS_RECENT_DAYS and DASHBOARD_DEFAULT_DAYS must be 1+")
if DASHBOARD_MAX_RANGE_DAYS < DASHBOARD_DEFAULT_DAYS:
    raise ImproperlyConfigured("DASHBOARD_MAX_RANGE_DAYS must be at least DASHBOARD_DEFAULT_DAYS")
CELERY_BEAT_SCHEDULE["dashboard-refresh-stats"] = {
    "task": "dashboard.tasks.refresh_dashboard_stats",
    "schedule": DASHBOARD_STATS_REFRESH_SECONDS,
    "options": {"queue": "default", "expires": DASHBOARD_STATS_REFRESH_SECONDS},
}
CELERY_BEAT_SCHEDULE["dashboard-rebuild-stats"] = {
    "task": "dashboard.tasks.rebuild_dashboard_stats",
    "schedule": DASHBOARD_STATS_REBUILD_SECONDS,
    "options": {"queue": "default", "expires": DASHBOARD_STATS_REBUILD_SECONDS},
}

# --- Public fact-check pages and corrections (publishing) ------------------------------------
# The organisation named as the ClaimReview author and on the public pages.
PUBLISHER_NAME = env_str("PUBLISHER_NAME", FACTCHECK_ORGANIZATION_NAME)
PUBLISHER_URL = env_str("PUBLISHER_URL", env_str("FACTCHECK_ORGANIZATION_URL", SITE_URL + "/"))


def _public_verdict_labels(raw: list[str]) -> dict[str, str]:
    labels = {
        "verified": "Accurate",
        "disputed": "Disputed",
        "unconfirmed": "Unproven",
        "proposed": "Under review again",
    }
    for item in raw:
        status, sep, label = item.partition("=")
        if not sep or status.strip() not in labels or not label.strip():
            raise ImproperlyConfigured(
                "PUBLIC_VERDICT_LABELS must be status=label pairs separated by commas "
                f"(statuses: {', '.join(labels)}), got {item!r}"
            )
        labels[status.strip()] = label.strip()
    return labels


# The verdict in words on the public pages and as ClaimReview's reviewRating.alternateName,
# e.g. PUBLIC_VERDICT_LABELS="verified=True,disputed=False". "proposed": a published claim
# reopened for review.
PUBLIC_VERDICT_LABELS = _public_verdict_labels(env_list("PUBLIC_VERDICT_LABELS"))
# Public pages carry Cache-Control: public, max-age=this (a CDN may serve them this long).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 300)
# Who may frame the embeddable snippet (CSP frame-ancestors): "*" for any CMS, or origins.
PUBLIC_EMBED_FRAME_ANCESTORS = env_list("PUBLIC_EMBED_FRAME_ANCESTORS", "*")
# The iframe size oEmbed offers (a consumer's maxwidth/maxheight can shrink it).
PUBLIC_EMBED_WIDTH = env_int("PUBLIC_EMBED_WIDTH", 600)
PUBLIC_EMBED_HEIGHT = env_int("PUBLIC_EMBED_HEIGHT", 400)
# Who is emailed a correction to make in an article: the user who imported it, else the
# group named for the article's source here ("Source name=Group name" pairs), else Editors.
CORRECTION_EDITOR_GROUPS = dict(
    (source.strip(), group.strip())
    for source, _, group in (
        item.partition("=") for item in env_list("CORRECTION_EDITOR_GROUPS") if "=" in item
    )
)
if "notifications" not in {q.name for q in CELERY_TASK_QUEUES}:
    CELERY_TASK_QUEUES.append(
        Queue("notifications", Exchange("notifications"), routing_key="notifications")
    )
# Emails wait on the mail server: never on "default" with the sweeps.
CELERY_TASK_ROUTES["publishing.tasks.send_correction_email"] = {"queue": "notifications"}
# Correction emails use the mail settings of the notifications block below.
# Emails whose message was lost (broker down at commit) are queued again by this sweep.
CORRECTION_EMAIL_SWEEP_SECONDS = env_int("CORRECTION_EMAIL_SWEEP_SECONDS", 300)
CELERY_BEAT_SCHEDULE["sweep-correction-emails"] = {
    "task": "publishing.tasks.sweep_correction_emails",
    "schedule": CORRECTION_EMAIL_SWEEP_SECONDS,
    "options": {"queue": "default", "expires": CORRECTION_EMAIL_SWEEP_SECONDS},
}

# --- Email notifications (notifications app) -----------------------------------------------
# Console backend (emails printed to the worker's log) in DEBUG and the embedded demo; SMTP
# otherwise, through EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or FACTCHECK_EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one")
# Seconds a mail server may take to answer before the attempt counts as failed (Django's
# default is to wait for ever, which would hold a worker process).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factcheck <factcheck@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Tries per email before it is marked failed (the admin can resend it); retry n waits
# base * 2**(n-1) seconds, at most the max: 30 s, 1 min, 2 min, 4 min with the defaults.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 30)
NOTIFICATION_RETRY_MAX_SECONDS = env_int("NOTIFICATION_RETRY_MAX_SECONDS", 3600)
# The sweep queues emails still unsent this long after they were due (broker down, lost message).
NOTIFICATION_SWEEP_GRACE_SECONDS = env_int("NOTIFICATION_SWEEP_GRACE_SECONDS", 60)
NOTIFICATION_SWEEP_INTERVAL_SECONDS = env_int("NOTIFICATION_SWEEP_INTERVAL_SECONDS", 60)
# Hour (0-23, in TIME_ZONE) at which beat queues each reviewer's daily digest.
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7)
if not 0 <= NOTIFICATION_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(
        f"NOTIFICATION_DIGEST_HOUR must be an hour from 0 to 23, got {NOTIFICATION_DIGEST_HOUR}"
    )
CELERY_BEAT_SCHEDULE["sweep-notifications"] = {
    "task": "notifications.tasks.sweep_notifications",
    "schedule": NOTIFICATION_SWEEP_INTERVAL_SECONDS,
    "options": {"queue": "default", "expires": NOTIFICATION_SWEEP_INTERVAL_SECONDS},
}
# Beat reads crontab hours (the digest's) in Celery's timezone, UTC unless set: the site's.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE["daily-digests"] = {
    "task": "notifications.tasks.send_daily_digests",
    "schedule": crontab(minute=0, hour=NOTIFICATION_DIGEST_HOUR),
    # Queued late (no worker for hours) it would still be the right day's digest; a day late
    # the dedupe key of that day has passed, so let it expire instead.
    "options": {"queue": "default", "expires": 12 * 3600},
}

# Match explanations and suggestions (issue #18, matching): a "same" link whose confidence
# (extraction.matching.same_confidence, in [0, 1]) is below this is a suggestion a reviewer
# confirms or rejects; only confirmed links form clusters and pass verdicts on. 0.85 is where
# the labelled dev news reach precision 0.9 (bench/match_quality.py); 0 confirms every link.
MATCH_CONFIRM_THRESHOLD = env_float("MATCH_CONFIRM_THRESHOLD", 0.85)
if not 0.0 <= MATCH_CONFIRM_THRESHOLD <= 1.0:
    raise ImproperlyConfigured("MATCH_CONFIRM_THRESHOLD must be between 0 and 1")

# Learning from the desk (claims.desk_model, `train_claim_model --from-reviews`): the desk layer
# is fitted only with this many reviewer decisions, holds back this share of the reviewed
# articles, and is activated only if its average precision beats the shipped model's by this.
DESK_MODEL_MIN_DECISIONS = env_int("DESK_MODEL_MIN_DECISIONS", 60)
DESK_MODEL_HOLDOUT_SHARE = env_float("DESK_MODEL_HOLDOUT_SHARE", 0.25)
DESK_MODEL_MIN_GAIN = env_float("DESK_MODEL_MIN_GAIN", 0.02)
if not 0.05 <= DESK_MODEL_HOLDOUT_SHARE <= 0.5:
    raise ImproperlyConfigured("DESK_MODEL_HOLDOUT_SHARE must be between 0.05 and 0.5")
CLAIM_TIER_HIGH = env_float("CLAIM_TIER_HIGH", 0.8)
CLAIM_TIER_MEDIUM = env_float("CLAIM_TIER_MEDIUM", 0.5)

# Fact-check archive (factchecks): imports of published fact-checks and the "already checked
# elsewhere" lookup of every proposed claim.
# Largest archive file or fetched URL an import reads (bytes).
FACT_CHECK_IMPORT_MAX_BYTES = env_int("FACT_CHECK_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Archive hits kept per claim, and the lowest re-ranker score (probability) shown.
FACT_CHECK_TOP = env_int("FACT_CHECK_TOP", 3)
FACT_CHECK_MIN_SCORE = env_float("FACT_CHECK_MIN_SCORE", 0.5)
# The score ranks the archive but is relative (trained on claims that all had a fact-check):
# a hit must also share this many content words (stop words aside) with the claim.
FACT_CHECK_MIN_SHARED_WORDS = env_int("FACT_CHECK_MIN_SHARED_WORDS", 2)
# PostgreSQL with more than FACT_CHECK_FULL_TEXT_ABOVE entries: FACT_CHECK_CANDIDATES full-text
# candidates re-ranked per claim (smaller archives are ranked whole, in memory, as by
# retrieve_fact_checks); lexemes on more than FACT_CHECK_COMMON_LEXEME of the archive (planner
# statistics) are left out of the full-text query.
FACT_CHECK_FULL_TEXT_ABOVE = env_int("FACT_CHECK_FULL_TEXT_ABOVE", 50_000)
FACT_CHECK_CANDIDATES = env_int("FACT_CHECK_CANDIDATES", 30)
FACT_CHECK_COMMON_LEXEME = env_float("FACT_CHECK_COMMON_LEXEME", 0.02)
# After an import, proposed claims this recent are matched again, at most this many.
FACT_CHECK_REMATCH_DAYS = env_int("FACT_CHECK_REMATCH_DAYS", 30)
FACT_CHECK_REMATCH_LIMIT = env_int("FACT_CHECK_REMATCH_LIMIT", 5000)

# --- Verdict policy (claims.review) ------------------------------------------------------------
# The reviewer who set a verdict may undo it for this many seconds (from the message after the
# verdict or from the history); 0 turns undo off. Which verdicts need a second reviewer, a
# rationale or evidence is the VerdictPolicy row staff edit in the admin, not a setting.
UNDO_WINDOW_SECONDS = env_int("UNDO_WINDOW_SECONDS", 600)
if UNDO_WINDOW_SECONDS < 0:
    raise ImproperlyConfigured("UNDO_WINDOW_SECONDS must be 0 or more")
