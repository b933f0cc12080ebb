"""Talking to the other side: a message thread on each match, from the proposal on, for both
sides and the area's brokers. The other side is told at once (and by e-mail if it stays
unread), the thread stays with the match, read-only once it ends, and is in the personal-data
download and the export. Bad input is refused and changes nothing."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from brokerage.datasets.personal_data import personal_data
from brokerage.models import MatchMessage, Notification
from brokerage.models.append_only import AppendOnlyError
from brokerage.services import conversations, matches

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(offer, need, business_member):
    return matches.propose_match(offer=offer, need=need, by=business_member)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_message_on_a_proposal_reaches_the_other_side(
    proposal, business_member, vcs_member, broker
):
    client = _client(vcs_member)
    response = client.post(
        f"/matches/{proposal.pk}/messages/", {"text": "Could you do Fridays instead?"}
    )
    assert response.status_code == 302 and response.url.endswith("#messages")

    told = Notification.objects.get(recipient=business_member, kind="match_message")
    assert "Could you do Fridays instead?" in told.text and "Foleshill Food Bank" in told.text
    assert told.kind in Notification.IMMEDIATE_EMAIL  # e-mailed if still unread
    assert not Notification.objects.filter(recipient=vcs_member, kind="match_message").exists()
    # Brokers are not told of every message, only of threads they have written on.
    assert not Notification.objects.filter(recipient=broker, kind="match_message").exists()

    page = _text(_client(business_member).get(f"/matches/{proposal.pk}/"))
    assert "Could you do Fridays instead?" in page and "Send message" in page


def test_a_broker_who_writes_hears_the_replies(proposal, business_member, broker):
    conversations.post_message(match=proposal, by=broker, text="I can help you both agree dates.")
    conversations.post_message(match=proposal, by=business_member, text="Thank you!")
    told = Notification.objects.filter(recipient=broker, kind="match_message")
    assert [n.text.split(": ", 1)[1] for n in told] == ["Thank you!"]


@pytest.mark.parametrize(
    "text, message", [("", "Write a message"), ("   ", "Write a message"), ("x" * 2001, "2,000")]
)
def test_an_empty_or_too_long_message_is_refused(proposal, vcs_member, text, message):
    response = _client(vcs_member).post(f"/matches/{proposal.pk}/messages/", {"text": text})
    assert response.status_code == 200 and message in _text(response)
    assert "<title>Error: " in response.content.decode()  # tabs and screen readers say so
    assert "govuk-error-summary" in response.content.decode()
    assert not MatchMessage.objects.exists()


def test_only_the_parties_and_their_brokers_may_write(proposal, outsider):
    response = _client(outsider).post(f"/matches/{proposal.pk}/messages/", {"text": "Hello"})
    assert response.status_code == 404  # they cannot see the match at all
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.post(f"/api/v1/matches/{proposal.pk}/messages/", {"text": "Hi"}).status_code == 404
    assert not MatchMessage.objects.exists()


def test_a_closed_match_keeps_its_thread_read_only(proposal, vcs_member, business_member):
    conversations.post_message(match=proposal, by=vcs_member, text="Not this time, sorry.")
    matches.decline_match(match=proposal, by=vcs_member, reason="no_capacity")

    page = _text(_client(business_member).get(f"/matches/{proposal.pk}/"))
    assert "Not this time, sorry." in page and "no more can be added" in page
    assert "Send message" not in page
    refused = _client(business_member).post(f"/matches/{proposal.pk}/messages/", {"text": "Oh"})
    assert "no more can be added" in _text(refused)
    assert MatchMessage.objects.count() == 1


def test_the_api_reads_and_writes_the_thread(proposal, business_member, vcs_member):
    api = APIClient()
    api.force_authenticate(business_member)
    written = api.post(f"/api/v1/matches/{proposal.pk}/messages/", {"text": "Tuesday works"})
    assert written.status_code == 201
    assert written.json()["author_side"] == "business"
    api.force_authenticate(vcs_member)
    thread = api.get(f"/api/v1/matches/{proposal.pk}/messages/").json()["results"]
    assert [m["text"] for m in thread] == ["Tuesday works"]
    assert api.post(f"/api/v1/matches/{proposal.pk}/messages/", {"text": ""}).status_code == 400


def test_messages_are_in_the_writers_data_download_and_the_export(proposal, vcs_member, broker):
    conversations.post_message(match=proposal, by=vcs_member, text="We meet at the hall.")
    mine = personal_data(vcs_member)["messages_written"]
    assert [m["text"] for m in mine] == ["We meet at the hall."]

    api = APIClient()
    api.force_authenticate(broker)
    exported = api.get("/api/v1/exports/messages/?format=csv")
    assert exported.status_code == 200
    assert "We meet at the hall." in b"".join(exported.streaming_content).decode()


def test_a_thread_is_kept_as_written(proposal, vcs_member):
    message = conversations.post_message(match=proposal, by=vcs_member, text="First")
    message.text = "Changed"
    with pytest.raises(AppendOnlyError):
        message.save()


def test_the_thread_alone_is_fetched_for_an_open_page(proposal, vcs_member, business_member):
    conversations.post_message(match=proposal, by=vcs_member, text="See you Tuesday.")
    fragment = _client(business_member).get(f"/matches/{proposal.pk}/messages/")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "See you Tuesday." in html
    assert "<html" not in html and f'data-thread-match="{proposal.pk}"' in html
