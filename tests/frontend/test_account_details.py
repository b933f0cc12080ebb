"""A person's own name, e-mail and password: a forgotten password is reset from an e-mailed
link (one use, expiring, the same answer whether or not an account has the address); a
signed-in person changes their password (other sessions and API tokens end), their name, and
their e-mail (kept until the new address confirms it, the old one told). Each kind of bad
input is refused with a message and changes nothing."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from knox.models import AuthToken

from brokerage.models import User
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough phrase"
NEW_PASSWORD = "another long phrase here"


@pytest.fixture
def dan(db):
    user = factories.UserFactory(
        username="dan", email="dan@example.org", first_name="Dan", last_name="Webb"
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Make a request and run what it queued once it committed (e-mail jobs run inline)."""

    def request(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return request


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/)", message.body).group(1)


def _signed_in(username: str = "dan", password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": username, "password": password})
    assert response.status_code == 302, "could not sign in"
    return client


def _can_sign_in(password: str) -> bool:
    response = Client().post("/sign-in/", {"username": "dan", "password": password})
    return response.status_code == 302


# A forgotten password


def test_the_sign_in_page_links_to_a_reset(client):
    assert 'href="/password-reset/"' in client.get("/sign-in/").content.decode()


def test_a_reset_link_sets_a_new_password_once(client, dan, send):
    response = send(client.post, "/password-reset/", {"email": "DAN@example.org "})
    assert response.status_code == 302 and response.url == "/password-reset/sent/"
    assert [m.to for m in mail.outbox] == [["dan@example.org"]]
    link = _link(mail.outbox[0])

    # Django's view moves the token out of the address before showing the form.
    shown = client.get(link, follow=True)
    assert "Choose a new password" in shown.content.decode()
    form_url = shown.redirect_chain[-1][0]
    assert "set-password" in form_url

    differ = client.post(form_url, {"new_password": NEW_PASSWORD, "new_password_again": "x"})
    assert "The two passwords are not the same" in differ.content.decode()
    weak = client.post(form_url, {"new_password": "password", "new_password_again": "password"})
    assert "too common" in weak.content.decode()
    dan.refresh_from_db()
    assert dan.check_password(PASSWORD)  # neither refusal changed anything

    done = send(
        client.post, form_url, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == "/sign-in/"
    assert _can_sign_in(NEW_PASSWORD) and not _can_sign_in(PASSWORD)
    assert "your password was changed" in mail.outbox[-1].subject

    again = Client().get(link, follow=True)
    assert "This link cannot be used" in again.content.decode()


def test_the_answer_is_the_same_for_an_address_no_account_has(client, dan, send):
    known = send(client.post, "/password-reset/", {"email": "dan@example.org"})
    unknown = send(Client().post, "/password-reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1  # only the real account was written to


def test_bad_input_on_the_request_form_is_refused(client, dan, send):
    for email, message in [("", "Enter your e-mail address"), ("dan", "correct format")]:
        response = send(client.post, "/password-reset/", {"email": email})
        assert response.status_code == 200 and message in response.content.decode()
    assert mail.outbox == []


def test_asking_again_at_once_sends_one_email(client, dan, send):
    for _ in range(3):
        send(client.post, "/password-reset/", {"email": "dan@example.org"})
    assert len(mail.outbox) == 1


def test_a_closed_account_gets_no_reset_email(client, dan, send):
    dan.is_active = False
    dan.save()
    send(client.post, "/password-reset/", {"email": "dan@example.org"})
    assert mail.outbox == []


def test_a_reset_link_expires(client, dan, send, settings):
    send(client.post, "/password-reset/", {"email": "dan@example.org"})
    link = _link(mail.outbox[0])
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = Client().get(link, follow=True)
    assert "This link cannot be used" in response.content.decode()


def test_a_mangled_reset_link_is_refused(client, dan):
    response = client.get("/password-reset/MQ/not-a-token/", follow=True)
    assert "This link cannot be used" in response.content.decode()


def test_a_new_password_lifts_a_sign_in_pause_and_ends_api_tokens(client, dan, send):
    AccessAttempt.objects.create(
        username="dan", ip_address="203.0.113.9", failures_since_start=5, user_agent="x"
    )
    AuthToken.objects.create(user=dan)
    send(client.post, "/password-reset/", {"email": "dan@example.org"})
    form_url = client.get(_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    send(client.post, form_url, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})

    assert not AccessAttempt.objects.filter(username="dan").exists()
    assert not AuthToken.objects.filter(user=dan).exists()


# Changing a password


def test_changing_the_password_keeps_this_session_and_ends_the_others(dan, send):
    here, elsewhere = _signed_in(), _signed_in()
    AuthToken.objects.create(user=dan)
    data = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    }
    response = send(here.post, "/account/password/", data)

    assert response.status_code == 302 and response.url == "/account/"
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302  # sent to sign in
    assert not AuthToken.objects.filter(user=dan).exists()
    assert [m.subject for m in mail.outbox] == ["Coventry volunteering: your password was changed"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"current_password": "wrong"}, "That is not your current password"),
        ({"new_password_again": "something else"}, "The two passwords are not the same"),
        ({"new_password": "dan", "new_password_again": "dan"}, "too short"),
        ({"current_password": ""}, "Enter your current password"),
    ],
)
def test_each_bad_password_change_is_refused(dan, data, message):
    client = _signed_in()
    form = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    } | data
    response = client.post("/account/password/", form)
    assert response.status_code == 200 and message in response.content.decode()
    assert _can_sign_in(PASSWORD)
    assert mail.outbox == []


def test_account_pages_need_signing_in(client):
    for path in ("/account/password/", "/account/name/", "/account/email/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/sign-in/")


# Name and e-mail


def test_changing_the_name(dan):
    client = _signed_in()
    page = client.get("/account/name/").content.decode()
    assert 'value="Webb"' in page  # the form starts from the name as it is

    refused = client.post("/account/name/", {"first_name": "  ", "last_name": "Webb"})
    assert "Enter your first name" in refused.content.decode()
    client.post("/account/name/", {"first_name": "Daniel", "last_name": "Webb"})
    dan.refresh_from_db()
    assert dan.get_full_name() == "Daniel Webb"


def test_a_new_email_is_used_only_once_confirmed(dan, send):
    client = _signed_in()
    response = send(
        client.post, "/account/email/", {"email": "dan.webb@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["dan.webb@example.org"]]
    dan.refresh_from_db()
    assert dan.email == "dan@example.org"  # not until the link is followed

    link = _link(mail.outbox[0])
    shown = Client().get(link)  # a mail scanner opening the link changes nothing
    assert "Use this address" in shown.content.decode()
    dan.refresh_from_db()
    assert dan.email == "dan@example.org"

    confirmed = send(Client().post, link)
    assert confirmed.status_code == 302
    dan.refresh_from_db()
    assert dan.email == "dan.webb@example.org"
    assert mail.outbox[-1].to == ["dan@example.org"]  # the old address is told
    assert "was changed" in mail.outbox[-1].subject

    used = Client().post(link)
    assert used.status_code == 400 and "used already" in used.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"password": "wrong"}, "That is not your password"),
        ({"email": "DAN@example.org"}, "That is already your e-mail address"),
        ({"email": "not an address"}, "correct format"),
        ({"email": ""}, "Enter your e-mail address"),
    ],
)
def test_each_bad_email_change_is_refused(dan, send, data, message):
    client = _signed_in()
    form = {"email": "dan.webb@example.org", "password": PASSWORD} | data
    response = send(client.post, "/account/email/", form)
    assert response.status_code == 200 and message in response.content.decode()
    assert mail.outbox == []


def test_a_confirmation_link_that_is_mangled_or_old_is_refused(dan, send):
    client = _signed_in()
    send(client.post, "/account/email/", {"email": "dan.webb@example.org", "password": PASSWORD})
    link = _link(mail.outbox[0])

    mangled = Client().post(link[:-5] + "xxxx/")
    assert mangled.status_code == 400 and "not valid" in mangled.content.decode()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=3)):
        expired = Client().post(link)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    dan.refresh_from_db()
    assert dan.email == "dan@example.org"
    assert User.objects.filter(email="dan.webb@example.org").count() == 0
