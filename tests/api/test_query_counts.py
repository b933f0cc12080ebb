"""Every list runs the same number of SQL queries for 1 item as for 50 (no N+1)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage.services.matches import propose_match
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    cache.clear()  # measure the work, not the public-response cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _grow(n, business, vcs, business_member):
    """n of everything, each with skills, wards, themes and neighbours to fetch."""
    for _ in range(n):
        ward = factories.WardFactory()
        ward.neighbours.add(factories.WardFactory())
        skills = factories.SkillFactory.create_batch(2)
        offer = factories.OfferFactory(organisation=business, skills=skills)
        offer.wards.add(ward)
        need = factories.NeedFactory(organisation=vcs, ward=ward, skills=skills)
        need.themes.add(factories.ThemeFactory())
        match = propose_match(offer=offer, need=need, days=1, by=business_member)
        factories.MatchEventFactory.create_batch(2, match=match)
        factories.VcsFactory()


LISTS = [
    ("anonymous", "/api/v1/needs/?page_size=100"),
    ("vcs", "/api/v1/needs/?page_size=100&skill={skill}"),
    ("broker", "/api/v1/needs/?page_size=100&ordering=needed_by"),
    ("business", "/api/v1/offers/?page_size=100"),
    ("broker", "/api/v1/offers/?page_size=100&ward={ward}"),
    ("broker", "/api/v1/matches/?page_size=100"),
    ("business", "/api/v1/matches/{match}/events/?page_size=100"),
    ("anonymous", "/api/v1/organisations/?page_size=100"),
    ("broker", "/api/v1/organisations/?page_size=100"),
    ("anonymous", "/api/v1/wards/?page_size=100"),
    ("anonymous", "/api/v1/skills/?page_size=100"),
    ("anonymous", "/api/v1/skill-categories/?page_size=100"),
    ("anonymous", "/api/v1/themes/?page_size=100"),
    ("anonymous", "/open-data/volunteering.jsonld"),
    ("vcs", "/api/v1/notifications/?page_size=100"),
]


@pytest.mark.parametrize(("actor", "url"), LISTS)
def test_list_queries_do_not_grow_with_items(
    client_for, business, vcs, business_member, vcs_member, broker, actor, url
):
    client = client_for(
        {"anonymous": None, "vcs": vcs_member, "business": business_member, "broker": broker}[actor]
    )
    _grow(1, business, vcs, business_member)
    first = business.offers.first()
    values = {
        "skill": first.skills.first().slug,
        "ward": first.wards.first().gss_code,
        "match": first.matches.first().pk,
    }
    one = _queries(client, url.format(**values))

    _grow(49, business, vcs, business_member)
    factories.MatchEventFactory.create_batch(
        47, match=first.matches.first(), actor=factories.UserFactory()
    )
    fifty = _queries(client, url.format(**values))

    assert one == fifty
