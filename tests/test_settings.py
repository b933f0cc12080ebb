"""Settings come from the environment: embedded defaults, and a production mode that passes
Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#k2-production-secret-that-is-long-and-random-enough-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "volunteering.coventry.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://volunteering.coventry.gov.uk",
    "DATABASE_URL": "postgres://brokerage@db.internal:5432/brokerage",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _manage("check", env=PRODUCTION | {"SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_mode_uses_the_database_and_redis_urls():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.CHANNEL_LAYERS['default']['BACKEND'], s.SESSION_COOKIE_SECURE, s.HUEY['huey_class'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)

    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "True",
        "huey.RedisHuey",  # the task queue is in Redis too
    ]


def test_an_unknown_channel_layer_stops_start_up():
    result = _manage("check", env=PRODUCTION | {"CHANNEL_LAYER": "kafka"})

    assert result.returncode != 0
    assert "CHANNEL_LAYER must be 'core' or 'pubsub'" in result.stderr


def test_embedded_defaults_are_sqlite_and_in_memory_on_loopback_only():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'],"
        " ','.join(s.ALLOWED_HOSTS))"
    )
    result = _manage("shell", "--no-imports", "-c", code, env={})

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "localhost,127.0.0.1,[::1]",
    ]
