"""Settings, read from environment variables only.

The defaults are the embedded mode: SQLite, the in-memory channel layer, DEBUG on, loopback
hosts only. Production sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
REDIS_URL (see README and docker-compose.yml); `manage.py check --deploy` is then clean.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from brokerage.config.api_document import API_DOCUMENT

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

# A fixed development key is only acceptable while DEBUG is on (embedded mode).
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-embedded-mode-only-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "brokerage.config.apps.AdminConfig",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "django_filters",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "huey.contrib.djhuey",
    "brokerage",
    "api",
    "frontend",
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
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into its answer
    "api.middleware.ServiceNotFoundWhileDebugging",  # DEBUG only
]

ROOT_URLCONF = "brokerage.config.urls"
WEBSOCKET_URLCONF = "api.routing"  # ws/notifications/ (the consumer checks API tokens)
ASGI_APPLICATION = "brokerage.config.asgi.application"
WSGI_APPLICATION = "brokerage.config.wsgi.application"

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
                "frontend.context_processors.unread",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, SQLite's stand-in for row locks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # A pool per process: ASGI runs views in threads, where persistent connections leak.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "brokerage.User"

# The councils whose areas this service brokers, by GSS code: their wards take listings and
# their brokers work them. The rest of a loaded region (`load_reference_data --region`) is
# there so that wards neighbour across the border. Embedded default: Coventry and Solihull.
COUNCILS = env.list("COUNCILS", default=["E08000026", "E08000029"])

REDIS_URL = env.str("REDIS_URL", default="")
# How many proxies in front of the service set X-Forwarded-For: the client address is read
# that far back and no further (throttles and sign-in lockout count per address).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
if REDIS_URL:
    # Two channels-redis layers; bench/ws_bench.py measures both (figures in the README).
    # "pubsub" (Redis PUBLISH/SUBSCRIBE, the default): a broadcast to 1,000 brokers arrives
    # 3× sooner (p99 0.33 s against 1.1 s), and a mass connect / disconnect (2,000 sockets)
    # does not exhaust redis-py's async pool (100 connections; it raises MaxConnectionsError
    # past it) as the core layer's per-operation connections did. It keeps no queue: a
    # message for a socket that is gone is dropped, which is what the resume protocol is
    # for. "core" (a list per channel): drops messages silently past a channel's capacity
    # (default 100), hence the raised capacity. Nothing is lost either way: rows replay on
    # resume. One group per user keeps fan-out at one recipient per message on both.
    CHANNEL_LAYER = env.str("CHANNEL_LAYER", default="pubsub")
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "capacity": env.int("CHANNEL_CAPACITY", default=1000),
                "expiry": 60,
            },
        }
        if CHANNEL_LAYER == "core"
        else {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    if CHANNEL_LAYER not in ("core", "pubsub"):
        raise ImproperlyConfigured("CHANNEL_LAYER must be 'core' or 'pubsub'.")
    # A miss, not an error, while Redis is unreachable; and never a request held up for long.
    CACHES = {
        "default": {
            "BACKEND": "brokerage.infra.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (huey) ---------------------------------------------------------------------
# E-mail, reminders, escalations, expiry and digests run in `manage.py run_huey` (a worker with a
# cron-style scheduler built in). The queue is Redis when REDIS_URL is set, else a SQLite file
# beside the embedded database. TASKS_IMMEDIATE=1 runs tasks inline (tests; no worker needed).
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": env.str("TASK_QUEUE", default="brokerage"),
    "immediate": env.bool("TASKS_IMMEDIATE", default=False),
    "utc": True,  # crontab times below are UTC (07:00 UTC is 07:00 or 08:00 in Coventry)
    "consumer": {"workers": env.int("TASK_WORKERS", default=2), "worker_type": "thread"},
    **(
        {"url": REDIS_URL}
        if REDIS_URL
        else {"filename": env.str("TASKS_DB", default=str(BASE_DIR / "tasks.sqlite3"))}
    ),
}

# --- Accounts ----------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- API ---------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.BrokerageAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handle_exception",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "api.throttling.SignedInRateThrottle",
    ],
    # Per client; generous for people and integrations, a brake on scrapers and scripts gone
    # wrong. "off" lifts a limit (load tests are one client hammering from one address).
    "DEFAULT_THROTTLE_RATES": {
        scope: None if rate == "off" else rate
        for scope, rate in {
            "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
            "user": env.str("API_THROTTLE_USER", default="1200/minute"),
            "login": env.str("API_THROTTLE_LOGIN", default="10/minute"),
        }.items()
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttles count per client address. X-Forwarded-For is believed only as far as the
    # number of proxies in front of the service (0: none, the address is the connection's),
    # so a client cannot pick a new address for each guess by sending the header itself.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 30)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = API_DOCUMENT  # the OpenAPI document's title, text and enum names

# --- Locale ------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Web pages ------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Sign-in lockout (django-axes), for the sign-in page, the admin and the API token alike:
# SIGN_IN_FAILURE_LIMIT wrong passwords for one account, or from one address, lock it for
# SIGN_IN_LOCKOUT_MINUTES (more failures meanwhile start the wait again); the account's owner
# is e-mailed. Attempts are kept in the database, so the limits hold while Redis is down.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "brokerage.config.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "brokerage.config.views.client_address"  # as the API's throttles read it
AXES_VERBOSE = False

LOGIN_URL = "frontend:sign-in"
LOGIN_REDIRECT_URL = "frontend:dashboard"
LOGOUT_REDIRECT_URL = "frontend:home"

# --- Static files ------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm (`npm ci`, package-lock.json), served from node_modules
# under stable prefixes; frontend/static holds our own files and the built stylesheet.
NODE_MODULES = BASE_DIR / "node_modules"
# Embedded mode (and tests) serve straight from these folders; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (production mode) ----------------------------------------------------------------

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
    if env.bool("BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles only from this site's own files, no
# inline code or style attributes anywhere (page scripts live in frontend/static/js, page data
# in json_script blocks), nothing from third parties. `'self'` covers the ws:/wss: socket.
# `data:` images are the icons GOV.UK Frontend and Swagger UI draw in their stylesheets.
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
    },
}

# --- E-mail ------------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="volunteering@coventry.example")

# Links in e-mails are absolute: the address users reach the service on.
# A password reset link works once (it signs the password it replaces) and for this long.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_MINUTES", default=120) * 60
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# An immediate e-mail (a match proposal, a reminder) waits this long and is skipped if the
# user has read the notification meanwhile (they were online and saw it live).
EMAIL_GRACE_SECONDS = env.int("EMAIL_GRACE_SECONDS", default=120)
# Each server process checks its open notification sockets this often: it sends what a lost
# push left out, and closes sockets whose token or session no longer holds (see
# api/socket_watch.py). One round is a handful of queries, whatever the number of sockets.
SOCKET_WATCH_SECONDS = env.float("SOCKET_WATCH_SECONDS", default=2.0)
# With Redis, committed notifications are placed and pushed by a thread in each process
# ("thread"): the request that committed waits for neither. "inline" does it in the request,
# after the commit (the test suite: a thread left writing would race its table resets).
NOTIFICATION_DELIVERY = env.str("NOTIFICATION_DELIVERY", default="thread")
if NOTIFICATION_DELIVERY not in ("thread", "inline"):
    raise ImproperlyConfigured("NOTIFICATION_DELIVERY must be 'thread' or 'inline'.")

# --- Domain ------------------------------------------------------------------------------------

# One volunteer-day in hours, used wherever days and logged hours meet.
VOLUNTEER_DAY_HOURS = env.float("VOLUNTEER_DAY_HOURS", default=7.5)
# The most hours one volunteer may log on one calendar day, across all their matches.
MAX_HOURS_PER_VOLUNTEER_DAY = env.float("MAX_HOURS_PER_VOLUNTEER_DAY", default=VOLUNTEER_DAY_HOURS)
# Who publishes the open-data feed of needs (a URL naming the council).
OPEN_DATA_PUBLISHER = env.str("OPEN_DATA_PUBLISHER", default="https://www.coventry.gov.uk/")

# Nobody left waiting: a proposal unanswered this many working days (England & Wales) sends a
# reminder to the side that owes the answer, then escalates to brokers.
REMINDER_WORKING_DAYS = env.int("REMINDER_WORKING_DAYS", default=2)
ESCALATION_WORKING_DAYS = env.int("ESCALATION_WORKING_DAYS", default=5)
# A newly published listing is announced to the other side's owners whose listings fit it at
# least this well (the matching engine's fit, 0–1), at most FIT_NOTIFY_LIMIT of them.
FIT_NOTIFY_THRESHOLD = env.float("FIT_NOTIFY_THRESHOLD", default=0.6)
FIT_NOTIFY_LIMIT = env.int("FIT_NOTIFY_LIMIT", default=20)
# A pair one side declined or cancelled is not suggested or planned again for this long.
DECLINED_PAIR_DAYS = env.int("DECLINED_PAIR_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "huey": {"propagate": False},  # run_huey gives huey its own handler
    },
}
