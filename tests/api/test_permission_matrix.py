"""Who may do what: every endpoint × every role × own / other object → the expected status.

404 where the user may not know the thing exists, 403 where they can see it but not change
it, 401 where signing in would be needed first.
"""

import datetime as dt

import pytest

from brokerage.models import ListingStatus
from brokerage.services.matches import propose_match
from tests import factories

pytestmark = pytest.mark.django_db
ACTORS = ["anonymous", "business", "vcs", "broker", "other_business", "other_vcs"]
TODAY = dt.date.today()


@pytest.fixture
def market(broker):
    business = factories.BusinessFactory(name="Business A")
    vcs = factories.VcsFactory(name="Charity V")
    other_business = factories.BusinessFactory(name="Business B")
    other_vcs = factories.VcsFactory(name="Charity W")
    users = {
        "anonymous": None,
        "broker": broker,
        "business": factories.MembershipFactory(organisation=business).user,
        "vcs": factories.MembershipFactory(organisation=vcs).user,
        "other_business": factories.MembershipFactory(organisation=other_business).user,
        "other_vcs": factories.MembershipFactory(organisation=other_vcs).user,
    }
    skill = factories.SkillFactory(slug="hr-policy")
    ward = factories.WardFactory(gss_code="E05001222")
    offer = factories.OfferFactory(organisation=business, skills=[skill])
    unmatched_offer = factories.OfferFactory(organisation=business, skills=[skill])
    draft_offer = factories.OfferFactory(organisation=business, status=ListingStatus.DRAFT)
    need = factories.NeedFactory(organisation=vcs, ward=ward, skills=[skill])
    draft_need = factories.NeedFactory(organisation=vcs, ward=ward, status=ListingStatus.DRAFT)
    match = propose_match(offer=offer, need=need, days=1, by=users["business"])
    pending = factories.VcsFactory(name="New charity", pending=True)
    return {
        "users": users,
        "business": business,
        "vcs": vcs,
        "offer": offer,
        "unmatched_offer": unmatched_offer,
        "draft_offer": draft_offer,
        "need": need,
        "draft_need": draft_need,
        "match": match,
        "pending": pending,
        "ward": ward,
    }


def _need_body(m):
    return {
        "organisation": m["vcs"].pk,
        "title": "Help with HR",
        "ward": m["ward"].gss_code,
        "skills": [{"skill": "hr-policy"}],
        "days_needed": 2,
        "needed_by": str(TODAY + dt.timedelta(days=30)),
    }


def _offer_body(m):
    return {
        "organisation": m["business"].pk,
        "title": "HR advice",
        "skills": [{"skill": "hr-policy", "level": "expert"}],
        "volunteers": 1,
        "days_offered": 3,
        "available_from": str(TODAY),
        "available_until": str(TODAY + dt.timedelta(days=30)),
    }


# (what, method, url, body, expected status per actor in ACTORS order)
MATRIX = [
    # needs
    ("list needs", "get", lambda m: "/api/v1/needs/", None, [200, 200, 200, 200, 200, 200]),
    ("open need", "get", lambda m: f"/api/v1/needs/{m['need'].pk}/", None, [200] * 6),
    (
        "draft need",
        "get",
        lambda m: f"/api/v1/needs/{m['draft_need'].pk}/",
        None,
        [404, 404, 200, 200, 404, 404],
    ),
    ("create need", "post", lambda m: "/api/v1/needs/", _need_body, [401, 403, 201, 201, 403, 403]),
    (
        "edit open need",
        "patch",
        lambda m: f"/api/v1/needs/{m['need'].pk}/",
        lambda m: {"title": "New title"},
        [401, 403, 200, 200, 403, 403],
    ),
    (
        "edit draft need",
        "patch",
        lambda m: f"/api/v1/needs/{m['draft_need'].pk}/",
        lambda m: {"title": "New title"},
        [401, 404, 200, 200, 404, 404],
    ),
    (
        "publish draft need",
        "post",
        lambda m: f"/api/v1/needs/{m['draft_need'].pk}/publish/",
        None,
        [401, 404, 200, 200, 404, 404],
    ),
    (
        "close open need",
        "post",
        lambda m: f"/api/v1/needs/{m['need'].pk}/close/",
        None,
        [401, 403, 200, 200, 403, 403],
    ),
    (
        "delete draft need",
        "delete",
        lambda m: f"/api/v1/needs/{m['draft_need'].pk}/",
        None,
        [401, 404, 204, 204, 404, 404],
    ),
    (
        "delete open need",
        "delete",
        lambda m: f"/api/v1/needs/{m['need'].pk}/",
        None,
        [401, 403, 409, 409, 403, 403],
    ),
    # offers
    ("list offers", "get", lambda m: "/api/v1/offers/", None, [401, 200, 200, 200, 200, 200]),
    (
        "unmatched offer",
        "get",
        lambda m: f"/api/v1/offers/{m['unmatched_offer'].pk}/",
        None,
        [401, 200, 404, 200, 404, 404],
    ),
    (
        "offer matched to own need",
        "get",
        lambda m: f"/api/v1/offers/{m['offer'].pk}/",
        None,
        [401, 200, 200, 200, 404, 404],
    ),
    (
        "create offer",
        "post",
        lambda m: "/api/v1/offers/",
        _offer_body,
        [401, 201, 403, 201, 403, 403],
    ),
    (
        "edit offer",
        "patch",
        lambda m: f"/api/v1/offers/{m['offer'].pk}/",
        lambda m: {"title": "New title"},
        [401, 200, 403, 200, 404, 404],
    ),
    (
        "publish draft offer",
        "post",
        lambda m: f"/api/v1/offers/{m['draft_offer'].pk}/publish/",
        None,
        [401, 200, 404, 200, 404, 404],
    ),
    (
        "close offer",
        "post",
        lambda m: f"/api/v1/offers/{m['offer'].pk}/close/",
        None,
        [401, 200, 403, 200, 404, 404],
    ),
    (
        "delete draft offer",
        "delete",
        lambda m: f"/api/v1/offers/{m['draft_offer'].pk}/",
        None,
        [401, 204, 404, 204, 404, 404],
    ),
    # matches
    ("list matches", "get", lambda m: "/api/v1/matches/", None, [401, 200, 200, 200, 200, 200]),
    (
        "match",
        "get",
        lambda m: f"/api/v1/matches/{m['match'].pk}/",
        None,
        [401, 200, 200, 200, 404, 404],
    ),
    (
        "match events",
        "get",
        lambda m: f"/api/v1/matches/{m['match'].pk}/events/",
        None,
        [401, 200, 200, 200, 404, 404],
    ),
    (
        "match messages",
        "get",
        lambda m: f"/api/v1/matches/{m['match'].pk}/messages/",
        None,
        [401, 200, 200, 200, 404, 404],
    ),
    (
        "write on a match's thread",
        "post",
        lambda m: f"/api/v1/matches/{m['match'].pk}/messages/",
        lambda m: {"text": "Could we start on a Tuesday?"},
        [401, 201, 201, 201, 404, 404],
    ),
    (
        "propose match",
        "post",
        lambda m: "/api/v1/matches/",
        lambda m: {"offer": m["unmatched_offer"].pk, "need": m["need"].pk, "days": 1},
        [401, 201, 201, 201, 403, 403],
    ),
    (
        "accept match",
        "post",
        lambda m: f"/api/v1/matches/{m['match'].pk}/accept/",
        None,
        [401, 409, 200, 400, 404, 404],
    ),
    (
        "broker accepts for a side",
        "post",
        lambda m: f"/api/v1/matches/{m['match'].pk}/accept/",
        lambda m: {"side": "vcs"},
        [401, 403, 200, 200, 404, 404],
    ),
    (
        "decline match",
        "post",
        lambda m: f"/api/v1/matches/{m['match'].pk}/decline/",
        None,
        [401, 403, 200, 200, 404, 404],
    ),
    (
        "cancel match",
        "post",
        lambda m: f"/api/v1/matches/{m['match'].pk}/cancel/",
        None,
        [401, 200, 200, 200, 404, 404],
    ),
    # organisations
    ("list organisations", "get", lambda m: "/api/v1/organisations/", None, [200] * 6),
    (
        "verified organisation",
        "get",
        lambda m: f"/api/v1/organisations/{m['vcs'].pk}/",
        None,
        [200] * 6,
    ),
    (
        "pending organisation",
        "get",
        lambda m: f"/api/v1/organisations/{m['pending'].pk}/",
        None,
        [404, 404, 404, 200, 404, 404],
    ),
    (
        "edit own organisation",
        "patch",
        lambda m: f"/api/v1/organisations/{m['business'].pk}/",
        lambda m: {"description": "We light the city"},
        [401, 200, 403, 200, 403, 403],
    ),
    (
        "change the councils an organisation works in",
        "patch",
        lambda m: f"/api/v1/organisations/{m['business'].pk}/",
        lambda m: {"works_in": [factories.COVENTRY]},
        [401, 200, 403, 200, 403, 403],
    ),
    (
        "verify pending",
        "post",
        lambda m: f"/api/v1/organisations/{m['pending'].pk}/verify/",
        None,
        [401, 404, 404, 200, 404, 404],
    ),
    (
        "reject pending",
        "post",
        lambda m: f"/api/v1/organisations/{m['pending'].pk}/reject/",
        lambda m: {"reason": "Not in Coventry"},
        [401, 404, 404, 200, 404, 404],
    ),
    (
        "verify verified",
        "post",
        lambda m: f"/api/v1/organisations/{m['vcs'].pk}/verify/",
        None,
        [401, 403, 403, 409, 403, 403],
    ),
    # reference data and the current user
    ("wards", "get", lambda m: "/api/v1/wards/", None, [200] * 6),
    ("ward", "get", lambda m: f"/api/v1/wards/{m['ward'].gss_code}/", None, [200] * 6),
    ("skills", "get", lambda m: "/api/v1/skills/", None, [200] * 6),
    ("skill", "get", lambda m: "/api/v1/skills/hr-policy/", None, [200] * 6),
    ("skill categories", "get", lambda m: "/api/v1/skill-categories/", None, [200] * 6),
    ("themes", "get", lambda m: "/api/v1/themes/", None, [200] * 6),
    ("me", "get", lambda m: "/api/v1/me/", None, [401, 200, 200, 200, 200, 200]),
]

CASES = [
    pytest.param(method, url, body, actor, expected[i], id=f"{what} as {actor}")
    for what, method, url, body, expected in MATRIX
    for i, actor in enumerate(ACTORS)
]


@pytest.mark.parametrize(("method", "url", "body", "actor", "expected"), CASES)
def test_permission_matrix(market, client_for, method, url, body, actor, expected):
    client = client_for(market["users"][actor])
    kwargs = {"data": body(market), "format": "json"} if body else {"format": "json"}

    response = getattr(client, method)(url(market), **kwargs)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"code", "detail", "fields"}
