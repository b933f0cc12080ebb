"""Matches through the API: propose, accept, decline, cancel, and the audit history."""

import pytest

from brokerage.models import Match, Offer
from tests import factories

pytestmark = pytest.mark.django_db
MATCH_FIELDS = {
    "id", "offer", "offer_title", "need", "need_title", "days", "status",
    "accepted_by_business", "accepted_by_vcs", "proposed_by", "note", "score", "score_parts",
    "accepted_at", "created_at", "updated_at", "extra_days", "extension_asked_days",
    "extension_asked_by_side", "answer_by", "preferred_from", "preferred_until", "decline_reason",
}  # fmt: skip


def test_proposal_then_acceptance_reserves_days(
    client_for, offer, need, business_member, vcs_member
):
    proposed = client_for(business_member).post(
        "/api/v1/matches/", {"offer": offer.pk, "need": need.pk, "days": 3, "note": "We can help"}
    )
    assert proposed.status_code == 201, proposed.json()
    match = proposed.json()
    assert set(match) == MATCH_FIELDS
    assert match["status"] == "proposed"
    assert match["proposed_by"] == {"id": business_member.pk, "name": "hr.lead", "side": "business"}
    assert (match["accepted_by_business"], match["accepted_by_vcs"]) == (True, False)
    assert match["answer_by"] > match["created_at"]  # the charity's answer is due

    accepted = client_for(vcs_member).post(f"/api/v1/matches/{match['id']}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["answer_by"] is None  # nothing waits any more
    offer.refresh_from_db()
    assert offer.days_remaining == 7

    events = client_for(vcs_member).get(f"/api/v1/matches/{match['id']}/events/").json()
    assert [e["action"] for e in events["results"]] == ["proposed", "accepted_by_vcs", "accepted"]
    assert events["results"][0]["actor"] == "hr.lead"


def test_overbooking_answers_409_and_changes_nothing(
    client_for, business, vcs, business_member, vcs_member
):
    offer = factories.OfferFactory(organisation=business, days_offered=3)
    first, second = factories.NeedFactory.create_batch(2, organisation=vcs)
    business_client, vcs_client = client_for(business_member), client_for(vcs_member)
    one = business_client.post(
        "/api/v1/matches/", {"offer": offer.pk, "need": first.pk, "days": 2}
    ).json()
    two = business_client.post(
        "/api/v1/matches/", {"offer": offer.pk, "need": second.pk, "days": 2}
    ).json()
    assert vcs_client.post(f"/api/v1/matches/{one['id']}/accept/").status_code == 200

    response = vcs_client.post(f"/api/v1/matches/{two['id']}/accept/")

    assert response.status_code == 409
    assert response.json()["code"] == "capacity_exceeded"
    assert Match.objects.get(pk=two["id"]).accepted_by_vcs is False
    assert Offer.objects.get(pk=offer.pk).days_reserved == 2


def test_duplicate_proposal_is_a_conflict(client_for, offer, need, business_member):
    client = client_for(business_member)
    client.post("/api/v1/matches/", {"offer": offer.pk, "need": need.pk, "days": 1})

    response = client.post("/api/v1/matches/", {"offer": offer.pk, "need": need.pk, "days": 1})

    assert (response.status_code, response.json()["code"]) == (409, "duplicate_match")
    assert Match.objects.count() == 1


def test_decline_and_cancel_keep_a_note(client_for, offer, need, business_member, vcs_member):
    client = client_for(business_member)
    first = client.post("/api/v1/matches/", {"offer": offer.pk, "need": need.pk, "days": 1}).json()
    declined = client_for(vcs_member).post(
        f"/api/v1/matches/{first['id']}/decline/", {"note": "Found help already"}
    )
    second = client.post("/api/v1/matches/", {"offer": offer.pk, "need": need.pk, "days": 1}).json()
    cancelled = client.post(f"/api/v1/matches/{second['id']}/cancel/", {"note": "Sorry"})

    assert (declined.json()["status"], cancelled.json()["status"]) == ("declined", "cancelled")
    history = client.get(f"/api/v1/matches/{first['id']}/events/").json()["results"]
    assert history[-1]["note"] == "Found help already"


def test_matches_list_shows_only_the_users_side(
    client_for, offer, need, business_member, vcs_member
):
    mine = factories.MatchFactory(offer=offer, need=need)
    factories.MatchFactory()  # between two other organisations

    for user in (business_member, vcs_member):
        results = client_for(user).get("/api/v1/matches/").json()["results"]
        assert [m["id"] for m in results] == [mine.pk]
    assert client_for(business_member).get("/api/v1/matches/?status=declined").json()["count"] == 0
