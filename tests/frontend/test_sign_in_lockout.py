"""Password guessing meets a lockout: SIGN_IN_FAILURE_LIMIT wrong passwords for an account,
or from an address, pause signing in (the page and the API token alike) for
SIGN_IN_LOCKOUT_MINUTES; the person is told how long to wait and the owner gets one e-mail.
Attempts are kept in the database, so this holds while Redis is down."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough phrase"


@pytest.fixture
def person(db):
    user = factories.UserFactory(username="dan", email="dan@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def _sign_in(client, password: str, username: str = "dan", **headers):
    return client.post("/sign-in/", {"username": username, "password": password}, **headers)


def test_the_page_locks_after_the_limit_and_says_how_long_to_wait(client, person):
    wrong = [_sign_in(client, "guess").status_code for _ in range(3)]
    right = _sign_in(client, PASSWORD)

    assert wrong[:2] == [200, 200]  # the form again, with its error
    assert wrong[2] == right.status_code == 429
    assert "Wait 15 minutes" in right.content.decode()
    assert "_auth_user_id" not in client.session  # the right password did not get in


def test_the_owner_is_emailed_once_per_lockout(client, person):
    for _ in range(5):
        _sign_in(client, "guess")

    told = [m for m in mail.outbox if m.to == ["dan@example.org"]]
    assert len(told) == 1 and "paused for 15 minutes" in told[0].body


def test_after_the_wait_the_right_password_works(client, person):
    for _ in range(3):
        _sign_in(client, "guess")

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        answer = _sign_in(client, PASSWORD)

    assert answer.status_code == 302 and client.session["_auth_user_id"] == str(person.pk)


def test_a_lockout_on_the_page_also_holds_for_the_api_token(client, person):
    for _ in range(3):
        _sign_in(client, "guess")

    answer = APIClient().post("/api/v1/auth/token/", {"username": "dan", "password": PASSWORD})

    assert answer.status_code == 429
    assert answer.json()["code"] == "locked_out" and "15 minutes" in answer.json()["detail"]


def test_one_address_guessing_many_accounts_is_locked_too(client, person):
    for name in ("amy", "ben", "cat"):
        _sign_in(client, "guess", username=name)

    assert _sign_in(client, PASSWORD).status_code == 429  # dan, from the same address


def test_a_forged_forwarded_for_header_does_not_make_a_new_address(client, person):
    for i in range(3):
        _sign_in(client, "guess", username=f"user{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")

    assert _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_behind_a_trusted_proxy_each_client_counts_by_its_own_address(client, person, settings):
    settings.TRUSTED_PROXIES = 1  # one load balancer in front, which appends the address
    for i in range(3):
        _sign_in(client, "guess", username=f"user{i}", HTTP_X_FORWARDED_FOR="203.0.113.9")

    other_client = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other_client.status_code == 302  # not locked by another client's guesses


def test_signing_in_costs_the_same_queries_however_many_sign_ins_and_guesses_came_before(
    person,
):
    """Sign-in is the password check and a fixed handful of small queries: its cost does not
    grow with the access log or with other accounts' failed attempts (bench/sign_in_bench.py
    times it against one hash)."""

    def queries_to_sign_in() -> int:
        fresh = Client()
        with CaptureQueriesContext(connection) as captured:
            assert _sign_in(fresh, PASSWORD).status_code == 302
        return len(captured)

    first = queries_to_sign_in()
    for index in range(10):
        queries_to_sign_in()
        _sign_in(Client(REMOTE_ADDR=f"10.0.0.{index}"), "guess", username=f"someone-{index}")

    assert queries_to_sign_in() == first
