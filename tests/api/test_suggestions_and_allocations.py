"""Suggestions and the city-wide allocation through the API, on the demo market."""

import pytest

from brokerage.datasets.demo import seed_demo
from brokerage.models import AllocationPlan, Match, MatchStatus, Need, Offer, User
from brokerage.services.listings import close_listing, publish_listing
from tests.reference import load_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_reference_data()
    seed_demo(password="x")
    return {u.username: u for u in User.objects.all()}


def _need(title):
    return Need.objects.get(title=title)


def test_charity_sees_ranked_offers_with_reasons(demo, client_for):
    need = _need("Volunteer rota and recruitment policy")

    response = client_for(demo["charity"]).get(f"/api/v1/needs/{need.pk}/suggestions/")

    assert response.status_code == 200
    results = response.json()
    assert results[0]["candidate"]["title"] == "HR advice from our people team"
    assert results[0]["reasons"][0] == (
        "covers 1 of 2 skills; related skills for Volunteer management"
    )
    assert set(results[0]["parts"]) == {"skill", "place", "time", "capacity"}
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert all(0 <= r["score"] <= 1 and 0 <= r["priority"] <= 1 for r in results)


def test_business_sees_ranked_needs_for_its_offer(demo, client_for):
    offer = Offer.objects.get(title="IT health check and cyber security")

    results = client_for(demo["business"]).get(f"/api/v1/offers/{offer.pk}/suggestions/")

    assert results.status_code == 404  # another business's offer: not visible at all
    results = client_for(demo["brightwire"]).get(f"/api/v1/offers/{offer.pk}/suggestions/").json()
    assert results[0]["candidate"]["title"] == "IT security review and new laptops"


def test_pairs_already_matched_are_not_suggested_again(demo, client_for):
    need = _need("Safe electrics in our warehouse")  # the demo has it proposed to electricians

    results = client_for(demo["charity"]).get(f"/api/v1/needs/{need.pk}/suggestions/").json()

    assert "Electricians to make community buildings safe" not in [
        r["candidate"]["title"] for r in results
    ]


def test_closed_offer_leaves_the_next_suggestions(
    demo, client_for, django_capture_on_commit_callbacks
):
    need = _need("Volunteer rota and recruitment policy")
    client = client_for(demo["charity"])
    hr = Offer.objects.get(title="HR advice from our people team")
    first = client.get(f"/api/v1/needs/{need.pk}/suggestions/").json()[0]
    assert first["candidate"]["id"] == hr.pk

    with django_capture_on_commit_callbacks(execute=True):
        close_listing(listing=hr, by=demo["business"])

    ids = [r["candidate"]["id"] for r in client.get(f"/api/v1/needs/{need.pk}/suggestions/").json()]
    assert hr.pk not in ids


@pytest.mark.parametrize("query", ["limit=0", "limit=51", "limit=x", "min_score=2", "min_score=-1"])
def test_bad_suggestion_queries_are_a_400(demo, client_for, query):
    need = _need("Volunteer rota and recruitment policy")

    response = client_for(demo["charity"]).get(f"/api/v1/needs/{need.pk}/suggestions/?{query}")

    assert response.status_code == 400


def test_suggestions_are_for_the_owner_and_brokers_only(demo, client_for, api):
    need = _need("Volunteer rota and recruitment policy")
    url = f"/api/v1/needs/{need.pk}/suggestions/"

    assert client_for(demo["broker"]).get(url).status_code == 200
    assert client_for(demo["opendoor"]).get(url).status_code == 403
    assert api.get(url).status_code == 403


def test_broker_computes_reviews_and_applies_an_allocation(demo, client_for):
    broker = client_for(demo["broker"])

    created = broker.post("/api/v1/allocations/", {"min_fit": 0.5}, format="json")
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["status"] == "draft" and plan["lines"]
    assert plan["days_placed"] == sum(line["days"] for line in plan["lines"])
    assert all(line["fit"] >= 0.5 for line in plan["lines"])

    before = Match.objects.count()
    applied = broker.post(f"/api/v1/allocations/{plan['id']}/apply/", {}, format="json").json()
    assert applied["plan"]["status"] == "applied"
    assert len(applied["matches"]) + len(applied["skipped"]) == len(plan["lines"])
    assert Match.objects.count() == before + len(applied["matches"])
    assert all(
        m.status == MatchStatus.PROPOSED and m.proposed_by_side == "broker"
        for m in Match.objects.filter(pk__in=applied["matches"])
    )

    again = broker.post(f"/api/v1/allocations/{plan['id']}/apply/", {}, format="json")
    assert again.status_code == 409


def test_lines_no_longer_valid_are_reported_not_applied(demo, client_for):
    broker = client_for(demo["broker"])
    plan = broker.post("/api/v1/allocations/", {}, format="json").json()
    line = plan["lines"][0]
    Offer.objects.filter(pk=line["offer"]).update(status="closed")

    result = broker.post(
        f"/api/v1/allocations/{plan['id']}/apply/", {"lines": [line["id"]]}, format="json"
    ).json()

    assert result["matches"] == []
    assert "closed" in result["skipped"][0]["outcome"]


def test_allocation_options_and_permissions(demo, client_for):
    broker = client_for(demo["broker"])

    foleshill = broker.post("/api/v1/allocations/", {"wards": ["E05001222"]}, format="json").json()
    need_wards = {n.pk: n.ward.gss_code for n in Need.objects.select_related("ward")}
    assert {need_wards[line["need"]] for line in foleshill["lines"]} <= {"E05001222"}
    assert broker.post("/api/v1/allocations/", {"min_fit": 3}, format="json").status_code == 400
    assert (
        broker.post("/api/v1/allocations/", {"wards": ["nope"]}, format="json").status_code == 400
    )
    assert client_for(demo["business"]).post("/api/v1/allocations/", {}).status_code == 403
    assert client_for(demo["business"]).get("/api/v1/allocations/").status_code == 403
    assert AllocationPlan.objects.count() == 1


def test_brokers_see_unmet_needs_with_reasons(demo, client_for, django_capture_on_commit_callbacks):
    import datetime as dt

    from brokerage.models import Skill, Ward
    from brokerage.services.needs import create_need

    with django_capture_on_commit_callbacks(execute=True):
        lunch = create_need(
            organisation=demo["garden"].memberships.get().organisation,
            by=demo["garden"],
            title="Cook for our Friday lunch club",
            ward=Ward.objects.get(name="Binley and Willenhall"),
            days_needed=2,
            needed_by=dt.date.today() + dt.timedelta(days=40),
            skills={Skill.objects.get(slug="catering"): True},  # no business offers events
        )
        publish_listing(listing=lunch, by=demo["garden"])

    response = client_for(demo["broker"]).get("/api/v1/unmet-needs/")

    assert response.status_code == 200
    gaps = {g["need"]: g for g in response.json()["results"]}
    assert gaps[lunch.pk]["reasons"] == ["no open offer has the skill asked for"]
    assert gaps[lunch.pk]["missing_skills"] == ["catering"]
    assert client_for(demo["charity"]).get("/api/v1/unmet-needs/").status_code == 403
