"""Database constraints: the guards of last resort behind the services' friendlier checks."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from brokerage.models import MatchStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "values"),
    [
        (factories.OfferFactory, {"days_offered": 0}),
        (factories.OfferFactory, {"volunteers": 0}),
        (
            factories.OfferFactory,
            {"available_from": dt.date(2026, 3, 2), "available_until": dt.date(2026, 3, 1)},
        ),
        (factories.NeedFactory, {"days_needed": 0}),
        (factories.MatchFactory, {"days": 0}),
        (factories.MatchFactory, {"score": 1.5}),
        (factories.MatchFactory, {"status": MatchStatus.ACCEPTED, "accepted_by_vcs": False}),
        (factories.OrganisationFactory, {"verification_status": "verified", "verified_at": None}),
    ],
)
def test_database_refuses_rows_that_break_an_invariant(factory, values):
    with pytest.raises(IntegrityError):
        factory(**values)


def test_skill_appears_once_per_offer_and_need():
    offer_skill = factories.OfferSkillFactory()
    need_skill = factories.NeedSkillFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OfferSkillFactory(offer=offer_skill.offer, skill=offer_skill.skill)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NeedSkillFactory(need=need_skill.need, skill=need_skill.skill)


def test_listing_status_follows_capacity():
    offer = factories.OfferFactory(days_offered=3)
    offer.days_reserved = 3
    offer.sync_status_with_capacity()
    assert offer.status == "fully_matched"

    offer.days_reserved = 1
    offer.sync_status_with_capacity()
    assert offer.status == "open"

    offer.status = "closed"
    offer.days_reserved = 3
    offer.sync_status_with_capacity()
    assert offer.status == "closed"  # closing is the owner's decision, not capacity's
