"""Offers and needs: drafting, editing, publishing and closing."""

import datetime as dt

import pytest

from brokerage import errors
from brokerage.models import ListingStatus, MatchStatus, Need, Offer
from brokerage.services.listings import close_listing, publish_listing
from brokerage.services.matches import accept_match, propose_match
from brokerage.services.needs import create_need, update_need
from brokerage.services.offers import create_offer, update_offer
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _offer_input(**overrides):
    values = {
        "title": "Two HR advisers for a week",
        "volunteers": 2,
        "days_offered": 10,
        "available_from": TODAY,
        "available_until": TODAY + dt.timedelta(days=60),
        "skills": {factories.SkillFactory(): "expert"},
    }
    return values | overrides


def _need_input(**overrides):
    values = {
        "title": "Refresh our HR policies",
        "ward": factories.WardFactory(),
        "days_needed": 3,
        "needed_by": TODAY + dt.timedelta(days=30),
        "skills": {factories.SkillFactory(): True, factories.SkillFactory(): False},
    }
    return values | overrides


# --- offers -----------------------------------------------------------------------------------


def test_business_member_drafts_then_publishes_an_offer(business, business_member):
    ward = factories.WardFactory()
    offer = create_offer(organisation=business, by=business_member, wards=[ward], **_offer_input())

    assert offer.status == ListingStatus.DRAFT
    assert offer.created_by == business_member
    assert list(offer.wards.all()) == [ward]
    assert offer.offer_skills.get().level == "expert"

    offer = publish_listing(listing=offer, by=business_member)
    assert offer.status == ListingStatus.OPEN
    assert offer.published_at is not None


def test_vcs_organisation_cannot_post_offers(vcs, vcs_member):
    with pytest.raises(errors.InvalidInput, match="Only a business can post offers"):
        create_offer(organisation=vcs, by=vcs_member, **_offer_input())
    assert not Offer.objects.exists()


def test_member_of_another_organisation_cannot_post_for_it(business, outsider):
    with pytest.raises(errors.NotAllowed):
        create_offer(organisation=business, by=outsider, **_offer_input())


def test_broker_can_post_on_behalf_of_a_business(business, broker):
    assert create_offer(organisation=business, by=broker, **_offer_input())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"days_offered": 0}, "__all__"),
        ({"volunteers": 0}, "__all__"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 10_001}, "description"),
        ({"leave_type": "sabbatical"}, "leave_type"),
        ({"available_until": TODAY - dt.timedelta(days=1)}, "__all__"),
    ],
)
def test_create_offer_rejects_bad_input_and_saves_nothing(
    business, business_member, overrides, field
):
    with pytest.raises(errors.InvalidInput) as raised:
        create_offer(organisation=business, by=business_member, **_offer_input(**overrides))
    assert field in raised.value.fields
    assert not Offer.objects.exists()


def test_create_offer_rejects_unknown_skill_level(business, business_member):
    with pytest.raises(errors.InvalidInput, match="Unknown skill level"):
        create_offer(
            organisation=business,
            by=business_member,
            **_offer_input(skills={factories.SkillFactory(): "guru"}),
        )
    assert not Offer.objects.exists()


def test_offer_cannot_name_wards_of_a_closed_ward_set(business, business_member):
    old_set = factories.WardSetFactory(slug="old", valid_until=dt.date(2026, 5, 6))
    old_ward = factories.WardFactory(ward_set=old_set)

    with pytest.raises(errors.InvalidInput, match="no longer a ward in use"):
        create_offer(organisation=business, by=business_member, wards=[old_ward], **_offer_input())


def test_unverified_business_cannot_publish(business_member, business):
    business.verification_status = "pending"
    business.verified_at = None
    business.save()
    offer = create_offer(organisation=business, by=business_member, **_offer_input())

    with pytest.raises(errors.NotVerified):
        publish_listing(listing=offer, by=business_member)
    offer.refresh_from_db()
    assert offer.status == ListingStatus.DRAFT


def test_publishing_twice_is_refused(business, business_member):
    offer = create_offer(organisation=business, by=business_member, **_offer_input())
    publish_listing(listing=offer, by=business_member)

    with pytest.raises(errors.InvalidTransition, match="Only a draft"):
        publish_listing(listing=offer, by=business_member)


def test_offer_without_skills_cannot_be_published(business, business_member):
    offer = create_offer(organisation=business, by=business_member, **_offer_input(skills={}))

    with pytest.raises(errors.InvalidInput, match="at least one skill"):
        publish_listing(listing=offer, by=business_member)


def test_offer_cannot_drop_below_its_matched_days(offer, need, business_member, vcs_member):
    accept_match(
        match=propose_match(offer=offer, need=need, days=4, by=business_member), by=vcs_member
    )

    with pytest.raises(errors.InvalidInput, match="4 days are already matched"):
        update_offer(offer=offer, by=business_member, days_offered=3)
    offer.refresh_from_db()
    assert offer.days_offered == 10


def test_fully_matched_offer_reopens_when_days_are_added(
    business, vcs, business_member, vcs_member
):
    offer = factories.OfferFactory(organisation=business, days_offered=5)
    need = factories.NeedFactory(organisation=vcs, days_needed=5)
    accept_match(
        match=propose_match(offer=offer, need=need, days=5, by=business_member), by=vcs_member
    )
    offer.refresh_from_db()
    assert offer.status == ListingStatus.FULLY_MATCHED

    offer = update_offer(offer=offer, by=business_member, days_offered=8)

    assert (offer.status, offer.days_remaining) == (ListingStatus.OPEN, 3)


def test_closing_an_offer_cancels_waiting_proposals_but_keeps_accepted_matches(
    business, vcs, business_member, vcs_member
):
    offer = factories.OfferFactory(organisation=business)
    waiting = propose_match(
        offer=offer, need=factories.NeedFactory(organisation=vcs), days=1, by=business_member
    )
    agreed = accept_match(
        match=propose_match(
            offer=offer, need=factories.NeedFactory(organisation=vcs), days=2, by=business_member
        ),
        by=vcs_member,
    )

    offer = close_listing(listing=offer, by=business_member)

    waiting.refresh_from_db()
    agreed.refresh_from_db()
    assert offer.status == ListingStatus.CLOSED
    assert waiting.status == MatchStatus.CANCELLED
    assert waiting.events.last().note == "The offer was closed."
    assert agreed.status == MatchStatus.ACCEPTED
    assert offer.days_reserved == 2


def test_closed_offer_cannot_be_edited_or_closed_again(offer, business_member):
    close_listing(listing=offer, by=business_member)

    with pytest.raises(errors.InvalidTransition):
        update_offer(offer=offer, by=business_member, title="New title")
    with pytest.raises(errors.InvalidTransition):
        close_listing(listing=offer, by=business_member)


# --- needs ------------------------------------------------------------------------------------


def test_vcs_member_drafts_and_publishes_a_need_with_themes(vcs, vcs_member):
    theme = factories.ThemeFactory()
    need = create_need(organisation=vcs, by=vcs_member, themes=[theme], **_need_input())

    assert need.status == ListingStatus.DRAFT
    assert sorted(need.need_skills.values_list("must_have", flat=True)) == [False, True]
    assert list(need.themes.all()) == [theme]
    assert publish_listing(listing=need, by=vcs_member).status == ListingStatus.OPEN


def test_business_cannot_post_needs(business, business_member):
    with pytest.raises(errors.InvalidInput, match="Only a charity or community group"):
        create_need(organisation=business, by=business_member, **_need_input())
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"), [({"days_needed": 0}, "__all__"), ({"title": ""}, "title")]
)
def test_create_need_rejects_bad_input_and_saves_nothing(vcs, vcs_member, overrides, field):
    with pytest.raises(errors.InvalidInput) as raised:
        create_need(organisation=vcs, by=vcs_member, **_need_input(**overrides))
    assert field in raised.value.fields
    assert not Need.objects.exists()


def test_need_with_past_deadline_cannot_be_published(vcs, vcs_member):
    need = create_need(
        organisation=vcs, by=vcs_member, **_need_input(needed_by=TODAY - dt.timedelta(days=1))
    )

    with pytest.raises(errors.InvalidInput, match="dates have passed"):
        publish_listing(listing=need, by=vcs_member)


def test_need_can_move_ward_and_change_skills(need, vcs_member):
    ward = factories.WardFactory()
    skill = factories.SkillFactory()

    need = update_need(need=need, by=vcs_member, ward=ward, skills={skill: True}, title="Moved")

    need.refresh_from_db()
    assert (need.ward, need.title) == (ward, "Moved")
    assert list(need.skills.all()) == [skill]


def test_update_refuses_fields_that_are_not_editable(need, vcs_member):
    with pytest.raises(TypeError):
        update_need(need=need, by=vcs_member, days_reserved=0)


def test_closing_a_need_by_a_broker_records_the_broker(need, offer, business_member, broker):
    waiting = propose_match(offer=offer, need=need, days=1, by=business_member)

    close_listing(listing=need, by=broker)

    event = waiting.events.last()
    assert (event.action, event.actor_side, event.actor) == ("cancelled", "broker", broker)
