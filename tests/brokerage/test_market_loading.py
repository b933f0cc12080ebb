"""The engine's market is loaded from plain rows: what the engine sees of each listing, which
listings it sees, and a fixed number of queries however large the market grows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brokerage import matchmaking
from brokerage.models import ListingStatus, NeedSkill, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def _inputs() -> dict:
    return matchmaking._inputs(timezone.localdate())


def _listings(count: int) -> None:
    ward, other = factories.WardFactory(), factories.WardFactory()
    theme = factories.ThemeFactory()
    for _ in range(count):
        offer = factories.OfferFactory(skills=[factories.SkillFactory(), factories.SkillFactory()])
        offer.wards.add(ward, other)
        need = factories.NeedFactory(ward=ward)
        need.themes.add(theme)


def test_loading_the_market_costs_the_same_queries_at_one_listing_and_at_twenty():
    _listings(1)
    with CaptureQueriesContext(connection) as small:
        _inputs()
    _listings(19)
    with CaptureQueriesContext(connection) as large:
        loaded = _inputs()

    assert len(loaded["offers"]) == len(loaded["needs"]) == 20
    assert len(large) == len(small)


def test_the_engine_sees_each_listings_skills_wards_days_left_themes_and_home_ward():
    home = factories.WardFactory()
    business = factories.BusinessFactory(home_ward=home)
    skills = [factories.SkillFactory(), factories.SkillFactory()]
    offer = factories.OfferFactory(organisation=business, skills=skills, days_offered=10)
    offer.wards.add(home)
    offer.days_reserved = 4
    offer.save()
    need = factories.NeedFactory(skills=[])
    NeedSkill.objects.create(need=need, skill=skills[0], must_have=True)
    NeedSkill.objects.create(need=need, skill=skills[1], must_have=False)
    theme = factories.ThemeFactory()
    need.themes.add(theme)

    loaded = _inputs()
    (seen_offer,) = loaded["offers"]
    (seen_need,) = loaded["needs"]

    assert set(seen_offer.skills) == {s.pk for s in skills}
    assert seen_offer.wards == (home.pk,)
    assert seen_offer.home_ward == home.pk
    assert seen_offer.days_remaining == 6
    assert set(seen_need.skills) == {(skills[0].pk, True), (skills[1].pk, False)}
    assert seen_need.themes == (theme.slug,)
    assert seen_need.ward == need.ward_id


def test_the_engine_leaves_out_drafts_past_dates_and_unverified_organisations():
    unverified = factories.VcsFactory(verification_status=Organisation.Verification.PENDING)
    factories.NeedFactory(status=ListingStatus.DRAFT, published_at=None)
    factories.NeedFactory(organisation=unverified)
    factories.NeedFactory(needed_by=timezone.localdate() - dt.timedelta(days=1))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    factories.OfferFactory(available_from=yesterday, available_until=yesterday)
    kept = factories.NeedFactory()

    loaded = _inputs()

    assert [n.id for n in loaded["needs"]] == [kept.pk]
    assert loaded["offers"] == []


def test_a_need_published_just_after_midnight_in_coventry_has_waited_since_that_local_day():
    london = ZoneInfo("Europe/London")
    published = dt.datetime.combine(
        timezone.localdate() - dt.timedelta(days=3), dt.time(0, 30), tzinfo=london
    )
    factories.NeedFactory(published_at=published)

    (seen,) = _inputs()["needs"]

    assert seen.published_on == published.date()
