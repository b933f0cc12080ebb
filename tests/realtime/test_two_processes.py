"""More than one web process: gunicorn (two workers) and uvicorn against one PostgreSQL and
one (private) Redis. Each process keeps the matching engine's market in memory; the shared
market version in Redis tells every process when it is stale. An offer published through
gunicorn is in the charity's suggestions served by uvicorn on the very next request — no
waiting for a timeout — and one closed through uvicorn leaves them through gunicorn."""

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest
from django.utils import timezone
from knox.models import AuthToken

from tests import factories
from tests.realtime.servers import PrivateRedis, production_shape

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def _call(base: str, token: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        f"{base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def test_a_listing_published_through_one_process_is_suggested_by_the_other(redis):
    skill = factories.SkillFactory(slug="roof-repairs", name="Roof repairs")
    need = factories.NeedFactory(skills=[skill], title="Fix the leaking roof", remote_ok=True)
    charity = factories.MembershipFactory(organisation=need.organisation).user
    business = factories.BusinessFactory()
    admin = factories.MembershipFactory(organisation=business).user
    charity_token = AuthToken.objects.create(user=charity)[1]
    admin_token = AuthToken.objects.create(user=admin)[1]
    suggestions = f"/api/v1/needs/{need.pk}/suggestions/"
    today = timezone.localdate()

    with production_shape(redis.url) as (http, ws):
        uvicorn = ws.replace("ws://", "http://")
        status, before = _call(uvicorn, charity_token, suggestions)  # uvicorn builds its market
        assert status == 200 and before == []
        for _ in range(2):  # both gunicorn workers build theirs too
            assert _call(http, charity_token, suggestions) == (200, [])

        status, offer = _call(http, admin_token, "/api/v1/offers/", {
            "organisation": business.pk, "title": "Roofers' day", "volunteers": 2,
            "skills": [{"skill": "roof-repairs", "level": "expert"}], "days_offered": 4,
            "available_from": str(today), "available_until": str(today + dt.timedelta(days=60)),
            "remote_ok": True,
        })  # fmt: skip
        assert status == 201, offer
        status, _ = _call(http, admin_token, f"/api/v1/offers/{offer['id']}/publish/", {})
        assert status == 200

        status, after = _call(uvicorn, charity_token, suggestions)  # the very next request
        assert status == 200 and [s["candidate"]["id"] for s in after] == [offer["id"]]

        status, _ = _call(uvicorn, admin_token, f"/api/v1/offers/{offer['id']}/close/", {})
        assert status == 200
        for _ in range(4):  # whichever worker answers
            assert _call(http, charity_token, suggestions) == (200, [])
