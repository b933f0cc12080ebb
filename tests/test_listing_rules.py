"""Who manages an offer or a need (changes, publishes, closes it), as one table that the rule
(`brokerage.access.can_manage_listing`), the service, the API and the pages all agree on; and
the two defects that came from the rule being spelt twice."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from brokerage import access
from brokerage.errors import DomainError
from brokerage.models import ListingStatus, Membership
from brokerage.services import listings
from tests import factories

pytestmark = pytest.mark.django_db

ACTORS = ("business_admin", "business_member", "vcs_admin", "vcs_member", "broker", "outsider")
# (kind of listing) → who manages it: a business's administrators its offers (an offer commits
# the staff's time), any member of a charity its needs, brokers either.
MANAGERS = {
    "offer": {"business_admin", "broker"},
    "need": {"vcs_admin", "vcs_member", "broker"},
}
ROWS = [
    pytest.param(kind, actor, actor in allowed, id=f"{kind}-{actor}")
    for kind, allowed in MANAGERS.items()
    for actor in ACTORS
]


@pytest.fixture
def people(business, vcs, broker, outsider):
    member = Membership.Role.MEMBER
    return {
        "business_admin": factories.MembershipFactory(organisation=business).user,
        "business_member": factories.MembershipFactory(organisation=business, role=member).user,
        "vcs_admin": factories.MembershipFactory(organisation=vcs).user,
        "vcs_member": factories.MembershipFactory(organisation=vcs, role=member).user,
        "broker": broker,
        "outsider": outsider,
    }


@pytest.fixture
def listing_of(business, vcs):
    def make(kind: str):
        if kind == "offer":
            return factories.OfferFactory(organisation=business)
        return factories.NeedFactory(organisation=vcs)

    return make


class _RolledBack(Exception):
    pass


@pytest.mark.parametrize(("kind", "actor", "allowed"), ROWS)
def test_the_rule_and_the_service_agree(people, listing_of, kind, actor, allowed):
    listing = listing_of(kind)
    assert access.can_manage_listing(people[actor], listing) is allowed
    try:
        with transaction.atomic():
            listings.close_listing(listing=listing, by=people[actor])
            raise _RolledBack
    except _RolledBack:
        closed = True
    except DomainError:
        closed = False
    assert closed is allowed


@pytest.mark.parametrize(("kind", "actor", "allowed"), ROWS)
def test_the_api_agrees(people, listing_of, kind, actor, allowed):
    listing = listing_of(kind)
    client = APIClient()
    client.force_authenticate(people[actor])
    answer = client.patch(f"/api/v1/{kind}s/{listing.pk}/", {"title": "Renamed"}, format="json")
    if allowed:
        assert answer.status_code == 200
    else:
        assert answer.status_code in (403, 404)  # 404: an offer a charity cannot see
    listing.refresh_from_db()
    assert (listing.title == "Renamed") is allowed


@pytest.mark.parametrize(("kind", "actor", "allowed"), ROWS)
def test_the_pages_agree(people, listing_of, kind, actor, allowed):
    listing = listing_of(kind)
    client = Client()
    client.force_login(people[actor])
    edit = reverse(f"frontend:{kind}-edit", args=[listing.pk])
    page = client.get(reverse(f"frontend:{kind}", args=[listing.pk]))
    assert (page.status_code == 200 and edit in page.content.decode()) is allowed
    assert (client.get(edit).status_code == 200) is allowed


def test_a_business_member_who_is_not_an_admin_is_refused_before_their_input_is_read(
    people, listing_of
):
    """The API's permission once let any member through to the serializer (so bad input
    answered 400, and good input reached the service's refusal); it now says who may."""
    offer = listing_of("offer")
    client = APIClient()
    client.force_authenticate(people["business_member"])

    answer = client.patch(f"/api/v1/offers/{offer.pk}/", {"days_offered": -3}, format="json")

    assert answer.status_code == 403
    assert "administrator" in answer.json()["detail"]


def test_a_fully_matched_need_says_so_instead_of_that_nothing_fits(people, listing_of):
    need = listing_of("need")
    need.days_reserved = need.days_needed
    need.status = ListingStatus.FULLY_MATCHED
    need.save()
    client = Client()
    client.force_login(people["vcs_member"])

    page = client.get(reverse("frontend:need", args=[need.pk])).content.decode()

    assert "No open offer fits yet" not in page
    assert "data-fully-matched" in page


def test_a_fully_matched_offer_says_so_instead_of_that_nothing_fits(people, listing_of):
    offer = listing_of("offer")
    offer.days_reserved = offer.days_offered
    offer.status = ListingStatus.FULLY_MATCHED
    offer.save()
    client = Client()
    client.force_login(people["business_admin"])

    page = client.get(reverse("frontend:offer", args=[offer.pk])).content.decode()

    assert "No open request fits yet" not in page
    assert "data-fully-matched" in page
