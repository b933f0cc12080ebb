"""Declined means declined: a pair the business or the charity turned down stays out of
suggestions and allocation plans for DECLINED_PAIR_DAYS (90), the listing's organisation and
brokers see why it is missing, and plans key wards by GSS code. On the demo market."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from brokerage import matchmaking
from brokerage.datasets.demo import seed_demo
from brokerage.models import AllocationPlan, Need, Offer, User, Ward
from brokerage.services.allocations import create_allocation
from brokerage.services.matches import cancel_match, decline_match, propose_match
from tests.reference import load_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_reference_data()
    seed_demo(password="x")
    users = {u.username: u for u in User.objects.all()}
    need = Need.objects.get(title="Volunteer rota and recruitment policy")
    hr = Offer.objects.get(title="HR advice from our people team")
    return users, need, hr


def _suggested_offers(need):
    return [s.listing.pk for s in matchmaking.suggestions_for_need(need, limit=50)]


def _planned(broker):
    plan = create_allocation(by=broker, min_fit=0.0)
    return {(line.offer_id, line.need_id) for line in plan.lines.all()}, plan


def test_a_declined_pair_leaves_suggestions_and_plans_for_ninety_days(demo, client_for):
    users, need, hr = demo
    assert hr.pk in _suggested_offers(need)
    assert (hr.pk, need.pk) in _planned(users["broker"])[0]

    match = propose_match(offer=hr, need=need, days=1, by=users["business"])
    decline_match(match=match, by=users["charity"], note="We found a volunteer already")

    assert hr.pk not in _suggested_offers(need)
    assert need.pk not in [s.listing.pk for s in matchmaking.suggestions_for_offer(hr, limit=50)]
    assert (hr.pk, need.pk) not in _planned(users["broker"])[0]

    why = client_for(users["broker"]).get(f"/api/v1/needs/{need.pk}/held-back/").json()
    assert [(h["offer"], h["action"], h["side"]) for h in why] == [(hr.pk, "declined", "vcs")]
    assert why[0]["until"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert "We found a volunteer already" in why[0]["reason"]
    mine = client_for(users["business"]).get(f"/api/v1/offers/{hr.pk}/held-back/").json()
    assert [h["need"] for h in mine] == [need.pk]

    with time_machine.travel(timezone.now() + dt.timedelta(days=91), tick=False):
        assert matchmaking.held_back(need=need) == []
        assert (hr.pk, need.pk) not in matchmaking.excluded_pairs()


def test_a_side_cancelling_holds_the_pair_back_but_a_broker_cancelling_does_not(demo):
    users, need, hr = demo
    match = propose_match(offer=hr, need=need, days=1, by=users["charity"])
    cancel_match(match=match, by=users["broker"], note="Tidying up")
    assert hr.pk in _suggested_offers(need)  # a broker's cancellation says nothing of the fit

    match = propose_match(offer=hr, need=need, days=1, by=users["charity"])
    cancel_match(match=match, by=users["charity"])
    assert hr.pk not in _suggested_offers(need)
    (held,) = matchmaking.held_back(offer=hr)
    assert held.match == match and "Cancelled by the charity" in held.reason


def test_the_holding_period_is_a_setting(demo, settings):
    users, need, hr = demo
    match = propose_match(offer=hr, need=need, days=1, by=users["business"])
    decline_match(match=match, by=users["charity"])
    settings.DECLINED_PAIR_DAYS = 0
    assert hr.pk in _suggested_offers(need)


def test_only_the_listings_organisation_and_brokers_see_what_is_held_back(demo, client_for):
    users, need, hr = demo
    decline_match(
        match=propose_match(offer=hr, need=need, days=1, by=users["business"]),
        by=users["charity"],
    )
    url = f"/api/v1/needs/{need.pk}/held-back/"
    assert client_for(users["charity"]).get(url).status_code == 200
    assert client_for(users["business"]).get(url).status_code == 403  # sees the need, not this
    assert (
        client_for(users["brightwire"]).get(f"/api/v1/offers/{hr.pk}/held-back/").status_code == 404
    )
    assert client_for(users["broker"]).get("/api/v1/needs/999999/held-back/").status_code == 404


def test_the_need_page_says_why_an_offer_is_not_suggested(demo, client):
    users, need, hr = demo
    decline_match(
        match=propose_match(offer=hr, need=need, days=1, by=users["business"]),
        by=users["charity"],
        note="Not this time",
    )
    client.force_login(users["charity"])
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "Not suggested again for now (1)" in page
    assert "Declined by the charity or community group" in page and "Not this time" in page


def test_plans_key_ward_coverage_by_gss_code(demo):
    users, _, _ = demo
    _, plan = _planned(users["broker"])
    stored = AllocationPlan.objects.get(pk=plan.pk).ward_coverage
    assert stored and all(Ward.objects.filter(gss_code=code).exists() for code in stored)
    foleshill = Ward.objects.get(name="Foleshill")
    assert stored[foleshill.gss_code]["ward"] == "Foleshill"
    assert {"needed", "placed"} <= set(stored[foleshill.gss_code])
