"""API tokens: issued for a username and password, stored hashed, expiring, revocable."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.throttling import AnonRateThrottle

from api.views.accounts import LoginThrottle
from brokerage.infra import versions
from brokerage.services import accounts
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def person():
    return factories.UserFactory(username="dan", password=PASSWORD)


def _token(api, username="dan", password=PASSWORD, **headers):
    return api.post("/api/v1/auth/token/", {"username": username, "password": password}, **headers)


def test_token_for_username_and_password_works_as_authorization_header(api, person):
    response = _token(api)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert expires > timezone.now() + dt.timedelta(days=29)
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/v1/me/").json()["username"] == "dan"


def test_tokens_are_stored_hashed(api, person):
    token = _token(api).json()["token"]

    stored = AuthToken.objects.get(user=person)
    assert token not in (stored.digest, stored.token_key)
    assert stored.digest != token


@pytest.mark.parametrize(
    ("username", "password"), [("dan", "wrong"), ("nobody", PASSWORD), ("", ""), ("dan", "")]
)
def test_wrong_credentials_get_a_clear_error_and_no_token(api, person, username, password):
    response = _token(api, username, password)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not AuthToken.objects.exists()


def test_revoked_token_stops_working(api, person):
    token = _token(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.post("/api/v1/auth/token/revoke/").status_code == 204
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_revoke_all_ends_every_device(api, person):
    first, second = _token(api).json()["token"], _token(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/v1/auth/token/revoke-all/").status_code == 204

    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/v1/me/").status_code == 401


def test_expired_token_is_refused(api, person):
    token = _token(api).json()["token"]
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.get("/api/v1/me/").status_code == 401


def test_an_expired_token_is_deleted_when_shown_and_the_others_by_the_hourly_purge(api, person):
    live, stale, shown = (_token(api).json()["token"] for _ in range(3))
    past = timezone.now() - dt.timedelta(seconds=1)
    AuthToken.objects.filter(token_key__in=[stale[:15], shown[:15]]).update(expiry=past)

    api.credentials(HTTP_AUTHORIZATION=f"Token {shown}")
    assert api.get("/api/v1/me/").status_code == 401
    assert AuthToken.objects.count() == 2  # the one shown is gone; the other waits

    assert accounts.purge_expired_tokens() == 1
    assert list(AuthToken.objects.values_list("token_key", flat=True)) == [live[:15]]
    api.credentials(HTTP_AUTHORIZATION=f"Token {live}")
    assert api.get("/api/v1/me/").status_code == 200


def test_a_signed_in_request_reads_its_token_once(api, person):
    """Knox would also load every other token of the user on each request; we do not."""
    token = _token(api).json()["token"]
    _token(api)  # a second token, which knox would load too
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/me/").status_code == 200

    token_reads = [q for q in queries.captured_queries if "knox_authtoken" in q["sql"]]
    assert len(token_reads) == 1


def test_malformed_authorization_header_is_refused(api, person):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api.get("/api/v1/me/").status_code == 401


def test_password_guessing_is_throttled(api, person, monkeypatch):
    monkeypatch.setattr(LoginThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    for _ in range(3):
        assert _token(api, password="guess").status_code == 400

    response = _token(api)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api, person, monkeypatch):
    """Without a trusted proxy, the address is the connection's, whatever the header says."""
    monkeypatch.setattr(LoginThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    statuses = [
        _token(api, password="guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(4)
    ]

    assert statuses == [400, 400, 400, 429]


def test_anonymous_clients_are_throttled(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/minute"})
    statuses = [api.get("/api/v1/themes/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]


def test_signed_in_clients_are_throttled_per_user(client_for, monkeypatch):
    from api.throttling import SignedInRateThrottle

    monkeypatch.setattr(SignedInRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = client_for(factories.UserFactory())
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_a_token_sharing_its_key_prefix_with_another_still_finds_its_own_holder(api, person):
    """Knox looks tokens up by their first characters and tells them apart by digest."""
    mine = _token(api).json()["token"]
    other, their_token = AuthToken.objects.create(user=factories.UserFactory(username="eve"))
    their_token = mine[:15] + their_token[15:]  # a collision of knox's key prefix
    AuthToken.objects.filter(pk=other.pk).update(
        token_key=mine[:15], digest=hash_token(their_token)
    )

    api.credentials(HTTP_AUTHORIZATION=f"Token {their_token}")
    assert api.get("/api/v1/me/").json()["username"] == "eve"
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine}")
    assert api.get("/api/v1/me/").json()["username"] == "dan"


def test_a_deactivated_account_token_is_refused(api, person):
    token = _token(api).json()["token"]
    person.is_active = False
    person.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.get("/api/v1/me/").status_code == 401


def test_a_token_with_the_right_key_but_wrong_rest_is_refused(api, person):
    token = _token(api).json()["token"]
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    api.credentials(HTTP_AUTHORIZATION=f"Token {forged}")

    assert api.get("/api/v1/me/").status_code == 401


def test_a_repeated_signed_in_read_costs_no_query_however_big_the_market(api, person, vcs):
    """The token, its holder and what they may see are remembered after the first read
    (until anything they rest on changes); the list comes from the cache for that scope
    until the market changes."""
    factories.MembershipFactory(organisation=vcs, user=person)
    token = _token(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    counts = []
    for size in (1, 30):
        factories.NeedFactory.create_batch(size, organisation=vcs)
        assert api.get("/api/v1/needs/?ordering=needed_by").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert len(api.get("/api/v1/needs/?ordering=needed_by").json()["results"]) > 0
        counts.append(len(queries))

    assert counts == [0, 0]


def _remembered(api, token: str) -> None:
    """Use the token once, so this process remembers whose it is."""
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 200


def test_a_remembered_token_revoked_in_another_request_is_refused_on_the_next(api, person):
    token = _token(api).json()["token"]
    _remembered(api, token)

    AuthToken.objects.filter(user=person).delete()  # revoke-all from another device

    assert api.get("/api/v1/me/").status_code == 401


def test_a_remembered_token_of_an_account_since_deactivated_is_refused(api, person):
    token = _token(api).json()["token"]
    _remembered(api, token)

    person.is_active = False
    person.save()

    assert api.get("/api/v1/me/").status_code == 401


def test_a_remembered_token_that_expires_is_refused_and_deleted(api, person):
    token = _token(api).json()["token"]
    _remembered(api, token)

    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.exists()


def test_a_remembered_reader_made_a_broker_sees_drafts_on_the_next_read(api, person, vcs):
    draft = factories.NeedFactory(organisation=vcs, status="draft", published_at=None)
    token = _token(api).json()["token"]
    _remembered(api, token)
    assert draft.pk not in [n["id"] for n in api.get("/api/v1/needs/").json()["results"]]

    council = factories.CouncilFactory(verification_status="verified")
    factories.MembershipFactory(organisation=council, user=person)

    assert draft.pk in [n["id"] for n in api.get("/api/v1/needs/").json()["results"]]


def test_with_the_cache_unreachable_tokens_are_read_from_the_database_every_time(
    api, person, monkeypatch
):

    monkeypatch.setattr(versions.AUTH, "current", lambda: None)  # what a cache that is down gives
    token = _token(api).json()["token"]
    _remembered(api, token)
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/me/").status_code == 200

    assert [q for q in queries.captured_queries if "knox_authtoken" in q["sql"]]
