"""With Redis unreachable the product serves as usual: the cache misses, the throttles let
people through, the task queue and the pushes are skipped, and each is logged once, not once
per request. (Redis here is a port nothing listens on.)"""

import socket

import pytest
from django.core.cache import cache

from brokerage import matchmaking
from brokerage.infra import outages, versions
from tests import factories

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "brokerage.infra.cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    outages.CACHE.down = False
    yield url
    outages.CACHE.down = False


def test_the_cache_misses_instead_of_failing(redis_down):
    assert cache.get("anything", "default") == "default"
    assert cache.set("key", "value") is None
    assert cache.add("key", "value") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("key") is False


def test_there_is_no_version_while_the_cache_holds_nothing_so_nothing_is_reused(redis_down):
    """Nothing built for one market is reused for another that may have changed: with no
    version, each read builds the engine's market afresh (and the shared cache keeps nothing)."""
    assert versions.MARKET.current() is None
    assert matchmaking.current_market() is not matchmaking.current_market()


def test_api_and_pages_answer_as_usual_and_the_outage_is_logged_once(
    client, vcs_member, redis_down, caplog
):  # the member exists before Redis goes: saving them would meet the outage in setup
    factories.NeedFactory()
    answers = [
        client.get("/api/v1/needs/").status_code,  # public, cached when Redis is up
        client.get("/").status_code,
        client.post(
            "/api/v1/auth/token/",
            {"username": vcs_member.username, "password": "wrong"},
            content_type="application/json",
        ).status_code,  # throttled per client when Redis is up
    ]
    client.force_login(vcs_member)
    answers += [client.get("/api/v1/needs/").status_code, client.get("/dashboard/").status_code]

    assert answers == [200, 200, 400, 200, 200]
    assert caplog.text.count("The cache (Redis) is unreachable") == 1
