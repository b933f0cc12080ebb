"""The match lifecycle: who may propose, accept, decline and cancel, and what each does to
capacity, statuses and the audit history."""

import datetime as dt

import pytest
from django.db import IntegrityError

from brokerage import errors
from brokerage.models import ListingStatus, Match, MatchEvent, MatchStatus, Side
from brokerage.services.matches import accept_match, cancel_match, decline_match, propose_match
from tests import factories

pytestmark = pytest.mark.django_db


def _accepted(offer, need, days, business_member, vcs_member):
    match = propose_match(offer=offer, need=need, days=days, by=business_member)
    return accept_match(match=match, by=vcs_member)


# --- propose ----------------------------------------------------------------------------------


def test_business_proposal_counts_as_business_acceptance(offer, need, business_member):
    match = propose_match(offer=offer, need=need, days=3, by=business_member, note="We can help")

    assert match.status == MatchStatus.PROPOSED
    assert (match.accepted_by_business, match.accepted_by_vcs) == (True, False)
    assert match.proposed_by_side == Side.BUSINESS
    event = match.events.get()
    assert (event.action, event.from_status, event.to_status) == ("proposed", "", "proposed")
    assert event.actor == business_member


def test_vcs_member_can_ask_an_offer_for_help(offer, need, vcs_member):
    match = propose_match(offer=offer, need=need, days=3, by=vcs_member)

    assert (match.accepted_by_business, match.accepted_by_vcs) == (False, True)
    assert match.proposed_by_side == Side.VCS


def test_broker_proposal_needs_both_sides_to_accept(offer, need, broker):
    match = propose_match(offer=offer, need=need, days=3, by=broker, score=0.8, score_parts={})

    assert (match.accepted_by_business, match.accepted_by_vcs) == (False, False)
    assert match.proposed_by_side == Side.BROKER


def test_proposal_reserves_no_days(offer, need, business_member):
    propose_match(offer=offer, need=need, days=3, by=business_member)

    offer.refresh_from_db()
    assert offer.days_reserved == 0


def test_outsider_cannot_propose(offer, need, outsider):
    with pytest.raises(errors.NotAllowed):
        propose_match(offer=offer, need=need, days=1, by=outsider)
    assert not Match.objects.exists()


def test_propose_rejects_duplicate_open_match_for_pair(offer, need, business_member, vcs_member):
    propose_match(offer=offer, need=need, days=1, by=business_member)

    with pytest.raises(errors.DuplicateMatch):
        propose_match(offer=offer, need=need, days=1, by=vcs_member)
    assert Match.objects.count() == 1


def test_propose_allowed_again_after_decline(offer, need, business_member, vcs_member):
    first = propose_match(offer=offer, need=need, days=1, by=business_member)
    decline_match(match=first, by=vcs_member)

    second = propose_match(offer=offer, need=need, days=1, by=business_member)
    assert second.pk != first.pk


def test_database_refuses_two_open_matches_for_one_pair(offer, need):
    factories.MatchFactory(offer=offer, need=need)
    with pytest.raises(IntegrityError):
        factories.MatchFactory(offer=offer, need=need)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"offer_status": ListingStatus.DRAFT}, errors.InvalidTransition),
        ({"offer_status": ListingStatus.CLOSED}, errors.InvalidTransition),
        ({"need_status": ListingStatus.FULLY_MATCHED}, errors.InvalidTransition),
        ({"need_status": ListingStatus.EXPIRED}, errors.InvalidTransition),
        ({"offer_org_pending": True}, errors.NotVerified),
        ({"need_org_pending": True}, errors.NotVerified),
    ],
)
def test_propose_needs_open_listings_of_verified_organisations(
    offer, need, business_member, change, error
):
    if "offer_status" in change:
        offer.status = change["offer_status"]
        offer.save()
    if "need_status" in change:
        need.status = change["need_status"]
        need.save()
    if change.get("offer_org_pending"):
        offer.organisation.verification_status = "pending"
        offer.organisation.verified_at = None
        offer.organisation.save()
    if change.get("need_org_pending"):
        need.organisation.verification_status = "pending"
        need.organisation.verified_at = None
        need.organisation.save()

    with pytest.raises(error):
        propose_match(offer=offer, need=need, days=1, by=business_member)
    assert not Match.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_propose_rejects_days_below_one(offer, need, business_member, days):
    with pytest.raises(errors.InvalidInput) as raised:
        propose_match(offer=offer, need=need, days=days, by=business_member)
    assert "days" in raised.value.fields


def test_propose_rejects_more_days_than_the_need_has_left(offer, need, business_member):
    with pytest.raises(errors.CapacityExceeded, match="5 of 5 days left; 6 asked"):
        propose_match(offer=offer, need=need, days=6, by=business_member)


def test_propose_rejects_offer_starting_after_the_need_deadline(offer, need, business_member):
    offer.available_from = need.needed_by + dt.timedelta(days=1)
    offer.available_until = need.needed_by + dt.timedelta(days=30)
    offer.save()

    with pytest.raises(errors.IncompatiblePair, match="starts on"):
        propose_match(offer=offer, need=need, days=1, by=business_member)


def test_propose_rejects_offer_limited_to_other_wards(offer, need, business_member):
    offer.wards.set([factories.WardFactory()])

    with pytest.raises(errors.IncompatiblePair, match="does not serve"):
        propose_match(offer=offer, need=need, days=1, by=business_member)


def test_ward_limit_does_not_apply_when_both_sides_can_work_remotely(offer, need, business_member):
    offer.wards.set([factories.WardFactory()])
    offer.remote_ok = need.remote_ok = True
    offer.save()
    need.save()

    assert propose_match(offer=offer, need=need, days=1, by=business_member)


def test_offer_serving_the_need_ward_can_be_matched(offer, need, business_member):
    offer.wards.set([need.ward, factories.WardFactory()])

    assert propose_match(offer=offer, need=need, days=1, by=business_member)


# --- accept -----------------------------------------------------------------------------------


def test_second_side_accepting_reserves_days_on_both(offer, need, business_member, vcs_member):
    match = _accepted(offer, need, 3, business_member, vcs_member)

    assert match.status == MatchStatus.ACCEPTED
    assert match.accepted_at is not None
    offer.refresh_from_db()
    need.refresh_from_db()
    assert (offer.days_reserved, offer.days_remaining) == (3, 7)
    assert (need.days_reserved, need.days_remaining) == (3, 2)
    assert list(match.events.values_list("action", flat=True)) == [
        "proposed",
        "accepted_by_vcs",
        "accepted",
    ]


def test_need_becomes_fully_matched_when_all_its_days_are_reserved(
    offer, need, business_member, vcs_member
):
    _accepted(offer, need, 5, business_member, vcs_member)

    need.refresh_from_db()
    offer.refresh_from_db()
    assert need.status == ListingStatus.FULLY_MATCHED
    assert offer.status == ListingStatus.OPEN


def test_accept_rejects_when_offer_days_would_be_exceeded(
    business, vcs, business_member, vcs_member
):
    offer = factories.OfferFactory(organisation=business, days_offered=4)
    first_need, second_need = factories.NeedFactory.create_batch(2, organisation=vcs)
    first = propose_match(offer=offer, need=first_need, days=3, by=business_member)
    second = propose_match(offer=offer, need=second_need, days=3, by=business_member)
    accept_match(match=first, by=vcs_member)

    with pytest.raises(errors.CapacityExceeded, match="1 of 4 days left; 3 asked"):
        accept_match(match=second, by=vcs_member)

    second.refresh_from_db()
    offer.refresh_from_db()
    assert second.status == MatchStatus.PROPOSED
    assert second.accepted_by_vcs is False  # nothing changed
    assert offer.days_reserved == 3
    assert second.events.count() == 1


def test_accepting_twice_for_the_same_side_is_refused(offer, need, business_member):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)

    with pytest.raises(errors.InvalidTransition, match="already accepted"):
        accept_match(match=match, by=business_member)


def test_outsider_cannot_accept(offer, need, business_member, outsider):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)

    with pytest.raises(errors.NotAllowed):
        accept_match(match=match, by=outsider)


def test_broker_must_say_which_side_they_accept_for(offer, need, broker, business_member):
    match = propose_match(offer=offer, need=need, days=1, by=broker)

    with pytest.raises(errors.InvalidInput, match="which side"):
        accept_match(match=match, by=broker)
    accept_match(match=match, by=broker, side=Side.BUSINESS)
    match = accept_match(match=match, by=broker, side=Side.VCS)

    assert match.status == MatchStatus.ACCEPTED
    assert set(match.events.values_list("actor_side", flat=True)) == {"broker"}


def test_member_cannot_accept_for_the_other_side(offer, need, broker, business_member):
    match = propose_match(offer=offer, need=need, days=1, by=broker)

    with pytest.raises(errors.NotAllowed):
        accept_match(match=match, by=business_member, side=Side.VCS)


def test_accept_rechecks_the_pair_when_the_offer_has_closed(
    offer, need, business_member, vcs_member
):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)
    offer.status = ListingStatus.CLOSED
    offer.save()

    with pytest.raises(errors.InvalidTransition, match="closed"):
        accept_match(match=match, by=vcs_member)


# --- decline and cancel -----------------------------------------------------------------------


def test_asked_side_declines_a_proposal(offer, need, business_member, vcs_member):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)

    match = decline_match(match=match, by=vcs_member, note="We found help already")

    assert match.status == MatchStatus.DECLINED
    event = match.events.last()
    assert (event.from_status, event.to_status, event.note) == (
        "proposed",
        "declined",
        "We found help already",
    )


def test_proposer_cannot_decline_their_own_proposal(offer, need, business_member):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)

    with pytest.raises(errors.NotAllowed, match="cancel it instead"):
        decline_match(match=match, by=business_member)


def test_accepted_match_cannot_be_declined(offer, need, business_member, vcs_member):
    match = _accepted(offer, need, 2, business_member, vcs_member)

    with pytest.raises(errors.InvalidTransition):
        decline_match(match=match, by=vcs_member)


def test_cancelling_an_accepted_match_frees_its_days(offer, need, business_member, vcs_member):
    match = _accepted(offer, need, 5, business_member, vcs_member)

    cancel_match(match=match, by=business_member, note="Staff shortage")

    need.refresh_from_db()
    offer.refresh_from_db()
    assert (need.days_reserved, need.status) == (0, ListingStatus.OPEN)
    assert offer.days_reserved == 0
    assert Match.objects.get().status == MatchStatus.CANCELLED


@pytest.mark.parametrize("end", [MatchStatus.DECLINED, MatchStatus.CANCELLED])
def test_ended_matches_cannot_change(offer, need, business_member, vcs_member, broker, end):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)
    if end == MatchStatus.DECLINED:
        decline_match(match=match, by=vcs_member)
    else:
        cancel_match(match=match, by=business_member)

    for action in (accept_match, decline_match, cancel_match):
        with pytest.raises(errors.InvalidTransition):
            action(match=match, by=broker)


def test_outsider_cannot_cancel(offer, need, business_member, outsider):
    match = propose_match(offer=offer, need=need, days=1, by=business_member)

    with pytest.raises(errors.NotAllowed):
        cancel_match(match=match, by=outsider)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


# --- audit history ----------------------------------------------------------------------------


def test_match_events_cannot_be_edited_or_deleted(offer, need, business_member):
    event = propose_match(offer=offer, need=need, days=1, by=business_member).events.get()

    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert MatchEvent.objects.get().note == ""


def test_reserved_days_always_equal_the_days_of_reserving_matches(
    business, vcs, business_member, vcs_member
):
    offer = factories.OfferFactory(organisation=business, days_offered=12)
    needs = factories.NeedFactory.create_batch(4, organisation=vcs, days_needed=4)
    matches = [propose_match(offer=offer, need=n, days=3, by=business_member) for n in needs]
    accept_match(match=matches[0], by=vcs_member)
    accept_match(match=matches[1], by=vcs_member)
    accept_match(match=matches[2], by=vcs_member)
    cancel_match(match=matches[1], by=vcs_member)
    decline_match(match=matches[3], by=vcs_member)

    offer.refresh_from_db()
    reserving = Match.objects.filter(offer=offer, status__in=["accepted", "in_progress"])
    assert offer.days_reserved == sum(m.days for m in reserving) == 6
