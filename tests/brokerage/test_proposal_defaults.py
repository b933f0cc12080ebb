"""What a proposal takes when the proposer does not say (the same from the API and the page),
whose side it is when the proposer belongs to both, and that the engine is asked once."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from brokerage import access, matchmaking
from brokerage.models import Match, Side
from brokerage.services import matches
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(business, vcs):
    offer = factories.OfferFactory(organisation=business, days_offered=3)
    need = factories.NeedFactory(organisation=vcs, days_needed=5)
    return offer, need


def test_the_default_is_what_the_need_still_needs_as_far_as_the_offer_has_it():
    assert access.days_to_propose(10, 4) == 4
    assert access.days_to_propose(3, 5) == 3
    assert access.days_to_propose(0, 5) == 1  # the capacity check then explains it is full


def test_the_api_proposes_the_default_days_when_none_are_given(pair, business_member):
    offer, need = pair
    client = APIClient()
    client.force_authenticate(business_member)

    answer = client.post("/api/v1/matches/", {"offer": offer.pk, "need": need.pk}, format="json")

    assert answer.status_code == 201
    assert answer.json()["days"] == access.days_to_propose(3, 5)


def test_the_page_proposes_the_same_days_as_the_api(pair, business_member):
    offer, need = pair
    client = Client()
    client.force_login(business_member)

    client.post("/matches/propose/", {"offer": offer.pk, "need": need.pk})

    assert Match.objects.get(offer=offer, need=need).days == access.days_to_propose(3, 5)


@pytest.mark.parametrize("days", [0, -1, "two"])
def test_bad_days_are_refused_by_the_api_and_nothing_is_proposed(pair, business_member, days):
    offer, need = pair
    client = APIClient()
    client.force_authenticate(business_member)

    answer = client.post(
        "/api/v1/matches/", {"offer": offer.pk, "need": need.pk, "days": days}, format="json"
    )

    assert answer.status_code == 400
    assert "days" in answer.json()["fields"]
    assert not Match.objects.exists()


def test_someone_on_both_sides_proposes_for_the_business(pair, vcs):
    offer, need = pair
    both = factories.MembershipFactory(organisation=offer.organisation).user
    factories.MembershipFactory(organisation=vcs, user=both)

    match = matches.propose_match(offer=offer, need=need, by=both)

    assert match.proposed_by_side == Side.BUSINESS == access.acting_side({Side.VCS, Side.BUSINESS})


def test_the_engine_is_asked_once_per_proposal(pair, business_member, monkeypatch):
    offer, need = pair
    calls = []
    real = matchmaking.pair_score
    monkeypatch.setattr(matchmaking, "pair_score", lambda *a: calls.append(a) or real(*a))
    client = Client()
    client.force_login(business_member)

    client.post("/matches/propose/", {"offer": offer.pk, "need": need.pk})

    assert len(calls) == 1
