"""Operational endpoints of the project itself (pages live in frontend/, the API in api/)."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from redis import Redis

log = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: the database and Redis, each "ok" or
    "down" (Redis "not used" in the embedded mode). 200 while the service can serve — Redis
    is a cache and a message bus, so it may be down — and 503 when the database is."""
    report = {
        "database": _check(_database),
        "redis": _check(_redis) if settings.REDIS_URL else "not used",
    }
    serving = report["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if serving else "down", **report}, status=200 if serving else 503
    )


def _check(probe) -> str:
    try:
        probe()
    except Exception:
        log.warning("Health check: %s failed", probe.__name__, exc_info=True)
        return "down"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
