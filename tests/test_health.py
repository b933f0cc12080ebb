"""/healthz tells a load balancer whether to send traffic: the database and Redis each
reported; 200 while the service can serve (Redis may be down), 503 when the database is."""

import socket

import pytest

from brokerage.config import views

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_everything_up(client, settings):
    settings.REDIS_URL = ""  # the embedded mode

    answer = client.get("/healthz")

    assert (answer.status_code, answer.json()) == (
        200,
        {"status": "ok", "database": "ok", "redis": "not used"},
    )


def test_redis_down_still_serves(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"

    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert (answer.json()["database"], answer.json()["redis"]) == ("ok", "down")


def test_database_down_is_503(client, monkeypatch):
    def unreachable() -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(views, "_database", unreachable)

    answer = client.get("/healthz")

    assert answer.status_code == 503
    assert answer.json()["status"] == answer.json()["database"] == "down"
