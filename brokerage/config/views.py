"""Operational endpoints of the project itself (pages live in frontend/, the API in api/),
and the answer to a sign-in that is locked out, for the pages and the API alike."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
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


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before reading a page (pages name the SVG themselves)."""
    return redirect(static("images/favicon.svg"), permanent=True)


def client_address(request: HttpRequest) -> str:
    """The client's address as the API's throttles read it (DRF's NUM_PROXIES rule): the
    connection's, or with TRUSTED_PROXIES the one that many proxies back in X-Forwarded-For,
    so a client cannot choose its own by sending the header."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if settings.TRUSTED_PROXIES and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(settings.TRUSTED_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict | None):
    """django-axes' lockout answer (429): the API's error shape for the token endpoint, a
    page saying how long to wait everywhere else."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    detail = f"Too many failed attempts to sign in: wait {minutes} minutes, then try again."
    if request.path.startswith("/api/"):
        body = {"code": "locked_out", "detail": detail, "fields": {}}
        return JsonResponse(body, status=429, headers={"Retry-After": str(minutes * 60)})
    return render(request, "frontend/locked_out.html", {"minutes": minutes}, status=429)


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
