"""The home page's figures: every visitor's first page, kept until the market changes and
then right on the very next view."""

import re

import pytest
from django.test import Client

from brokerage.services import organisations
from tests import factories

pytestmark = pytest.mark.django_db


def _figures() -> dict[str, int]:
    html = Client().get("/").content.decode()
    found = re.findall(r'data-figure="(\w+)">(\d+)<', html)
    return {name: int(value) for name, value in found}


def test_the_figures_follow_the_market_on_the_next_view(broker):
    charity = factories.NeedFactory(days_needed=3).organisation
    factories.OfferFactory(days_offered=4)
    applicant = factories.VcsFactory(pending=True)
    before = _figures()
    assert _figures() == before  # kept: the same until something changes

    factories.NeedFactory(organisation=charity)
    assert _figures() == before | {"open_needs": before["open_needs"] + 1}
    organisations.verify_organisation(organisation=applicant, by=broker)
    assert _figures()["organisations"] == before["organisations"] + 1


def test_the_figures_count_what_they_say(broker):
    factories.NeedFactory.create_batch(2)
    factories.NeedFactory(status="draft")
    factories.OfferFactory(days_offered=4)
    factories.OfferFactory(days_offered=6, status="closed")

    figures = _figures()
    assert figures["open_needs"] == 2  # not the draft
    assert figures["days_offered"] == 4  # not the closed offer
