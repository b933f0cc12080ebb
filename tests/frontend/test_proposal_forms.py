"""Choosing what you propose and saying why you decline: a proposal carries its days (the
default filled in), preferred dates and a message, shown to the other side; declining asks
for a reason from a list (and words for "another reason"), told to the other side and
counted in reports. Each kind of bad input is refused and changes nothing."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from brokerage.models import Match, MatchStatus, Notification
from brokerage.services import matches

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _propose(client, offer, need, **fields):
    data = {"offer": offer.pk, "need": need.pk, "back": f"/needs/{need.pk}/", **fields}
    return client.post("/matches/propose/", data, follow=True)


def test_a_proposal_carries_its_days_dates_and_message(vcs_member, business_member, offer, need):
    first = timezone.localdate() + dt.timedelta(days=7)
    last = first + dt.timedelta(days=4)
    _propose(
        _client(vcs_member), offer, need, days="2", preferred_from=first.isoformat(),
        preferred_until=last.isoformat(), note="Mornings suit us best",
    )  # fmt: skip
    match = Match.objects.get()
    assert (match.days, match.preferred_from, match.preferred_until) == (2, first, last)
    assert match.note == "Mornings suit us best"

    seen = _text(_client(business_member).get(f"/matches/{match.pk}/"))
    assert f"{first:%-d %B %Y} to {last:%-d %B %Y}" in seen
    assert "Mornings suit us best" in seen


def test_left_alone_the_form_proposes_the_default_days(vcs_member, business_member, offer, need):
    page = _text(_client(business_member).get(f"/needs/{need.pk}/"))
    assert re.search(r'name="days"[^>]*value="5"', page)  # the default, filled in
    _propose(_client(vcs_member), offer, need, days="", preferred_from="", note="")
    assert Match.objects.get().days == 5  # all the need still needs, as the offer has them


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"days": "abc"}, "whole number"),
        ({"days": "0"}, "at least 1 volunteer-day"),
        ({"preferred_from": "2027-02-30"}, "Enter a real first preferred date"),
        ({"preferred_from": "2020-01-01"}, "when both the offer and the request allow"),
        ({"preferred_until": "2099-01-01"}, "when both the offer and the request allow"),
        ({"note": "x" * 2001}, "2,000 characters"),
    ],
)
def test_each_bad_proposal_is_refused_and_nothing_is_made(vcs_member, offer, need, fields, message):
    response = _propose(_client(vcs_member), offer, need, **fields)
    assert message in _text(response)
    assert not Match.objects.exists()


def test_preferred_dates_in_the_wrong_order_are_refused(vcs_member, offer, need):
    soon = timezone.localdate() + dt.timedelta(days=10)
    response = _propose(
        _client(vcs_member), offer, need, preferred_from=soon.isoformat(),
        preferred_until=(soon - dt.timedelta(days=1)).isoformat(),
    )  # fmt: skip
    assert "on or after the first" in _text(response)
    assert not Match.objects.exists()


@pytest.fixture
def proposal(offer, need, business_member):
    return matches.propose_match(offer=offer, need=need, by=business_member)


def test_declining_asks_why_and_tells_the_other_side(proposal, vcs_member, business_member, broker):
    client = _client(vcs_member)
    page = _text(client.get(f"/matches/{proposal.pk}/"))
    assert "Decline this proposal" in page and "We do not have the capacity just now" in page

    nothing = client.post(f"/matches/{proposal.pk}/decline/", {})
    assert nothing.status_code == 200 and "Choose why you are declining" in _text(nothing)
    other = client.post(f"/matches/{proposal.pk}/decline/", {"reason": "other", "note": " "})
    assert "Say what the other reason is" in _text(other)
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.PROPOSED  # neither refusal changed anything

    done = client.post(
        f"/matches/{proposal.pk}/decline/", {"reason": "dates", "note": "Try us in spring"}
    )
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (MatchStatus.DECLINED, "dates")
    told = Notification.objects.get(
        recipient=business_member, kind=Notification.Kind.MATCH_DECLINED
    )
    assert "The dates do not work for us. Try us in spring" in told.text
    seen = _text(_client(business_member).get(f"/matches/{proposal.pk}/"))
    assert "Why: The dates do not work for us." in seen

    report = _text(_client(broker).get("/reports/"))
    assert re.search(r"The dates do not work for us</td><td [^>]*>1</td>", report)


def test_the_api_declines_with_a_reason_and_refuses_an_unknown_one(proposal, vcs_member):
    api = APIClient()
    api.force_authenticate(vcs_member)
    bad = api.post(f"/api/v1/matches/{proposal.pk}/decline/", {"reason": "bored"})
    assert bad.status_code == 400 and "reason" in bad.json()["fields"]
    good = api.post(f"/api/v1/matches/{proposal.pk}/decline/", {"reason": "no_capacity"})
    assert good.status_code == 200 and good.json()["decline_reason"] == "no_capacity"


def test_the_match_page_says_from_when_volunteers_can_be_booked(
    proposal, vcs_member, business_member
):
    matches.accept_match(match=proposal, by=vcs_member)
    proposal.refresh_from_db()
    page = _text(_client(business_member).get(f"/matches/{proposal.pk}/"))
    agreed = f"{proposal.starts_on:%-d %B %Y}"
    assert f"Volunteers can be booked and log time from {agreed}, when both sides agreed" in page
