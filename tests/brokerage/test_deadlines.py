"""Nobody left waiting: reminders at 2 working days, escalation at 5, expiry of past listings.
Each sweep runs under a frozen clock; running one twice never sends anything twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from brokerage.messaging import links
from brokerage.models import ListingStatus, MatchEvent, MatchStatus, Notification, Side
from brokerage.services import deadlines
from brokerage.working_days import add_working_days
from tests import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (at(2026, 11, 27, 15, 0), 2, at(2026, 12, 1, 15, 0)),  # Friday → Tuesday
        (at(2026, 11, 28, 10, 0), 2, at(2026, 12, 2, 10, 0)),  # Saturday counts from Monday
        (at(2026, 12, 23, 9, 0), 2, at(2026, 12, 29, 9, 0)),  # Christmas and Boxing Day (Mon)
        (at(2026, 12, 23, 9, 0), 5, at(2027, 1, 4, 9, 0)),  # … and New Year's Day
        (at(2026, 4, 2, 12, 0), 2, at(2026, 4, 8, 12, 0)),  # Good Friday, Easter Monday
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due


@pytest.fixture
def proposal(business, vcs, business_member, vcs_member, broker):
    """Proposed by the business on Friday 27 November 2026 at 15:00; the charity owes the answer."""
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        return factories.MatchFactory(
            offer=factories.OfferFactory(organisation=business),
            need=factories.NeedFactory(organisation=vcs),
            proposed_by=business_member,
        )


def test_reminder_goes_to_the_side_owing_the_answer_after_two_working_days(
    proposal, business_member, vcs_member, broker
):
    with time_machine.travel(at(2026, 12, 1, 14, 59), tick=False):  # Tuesday, a minute early
        assert deadlines.send_reminders() == 0
    with time_machine.travel(at(2026, 12, 1, 15, 0), tick=False):
        assert deadlines.send_reminders() == 1
        assert deadlines.send_reminders() == 0  # a second sweep sends nothing more

    assert kinds_for(vcs_member) == [Notification.Kind.MATCH_REMINDER]
    assert kinds_for(business_member) == []  # the business already said yes
    assert kinds_for(broker) == []  # brokers hear only on escalation
    reminder = Notification.objects.get(recipient=vcs_member)
    assert "Please accept or decline" in reminder.text
    assert links.for_notification(reminder).page == f"/matches/{proposal.pk}/"


def test_a_broker_proposal_reminds_both_sides(business, vcs, business_member, vcs_member, broker):
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        factories.MatchFactory(
            offer=factories.OfferFactory(organisation=business),
            need=factories.NeedFactory(organisation=vcs),
            proposed_by=broker,
            proposed_by_side=Side.BROKER,
            accepted_by_business=False,
        )
    with time_machine.travel(at(2026, 12, 1, 15, 0), tick=False):
        assert deadlines.send_reminders() == 1

    assert kinds_for(vcs_member) == kinds_for(business_member) == [Notification.Kind.MATCH_REMINDER]


def test_an_answered_proposal_is_never_reminded_or_escalated(proposal, vcs_member):
    proposal.status = MatchStatus.DECLINED
    proposal.save()
    with time_machine.travel(at(2026, 12, 10, 9, 0), tick=False):
        assert deadlines.send_reminders() == 0
        assert deadlines.escalate() == 0
    assert Notification.objects.count() == 0


def test_escalation_to_brokers_after_five_working_days_once(
    proposal, broker, vcs_member, business_member
):
    with time_machine.travel(at(2026, 12, 4, 14, 59), tick=False):  # Friday, a minute early
        assert deadlines.escalate() == 0
    with time_machine.travel(at(2026, 12, 4, 15, 0), tick=False):
        assert deadlines.escalate() == 1
        assert deadlines.escalate() == 0

    escalation = Notification.objects.get(recipient=broker)
    assert escalation.kind == Notification.Kind.MATCH_ESCALATED
    assert str(proposal.need.organisation) in escalation.text  # who has not answered
    assert Notification.Kind.MATCH_ESCALATED not in kinds_for(vcs_member) + kinds_for(
        business_member
    )


def test_escalation_counts_working_days_over_christmas(
    business, vcs, business_member, vcs_member, broker
):
    with time_machine.travel(at(2026, 12, 23, 9, 0), tick=False):
        factories.MatchFactory(
            offer=factories.OfferFactory(organisation=business),
            need=factories.NeedFactory(organisation=vcs),
        )
    with time_machine.travel(at(2026, 12, 31, 17, 0), tick=False):  # 4 working days later
        assert deadlines.escalate() == 0
    with time_machine.travel(at(2027, 1, 4, 9, 0), tick=False):
        assert deadlines.escalate() == 1


@pytest.fixture
def past_offer(business, business_member):
    """An offer whose last day was 30 November 2026, with one proposal waiting and one
    accepted match."""
    with time_machine.travel(at(2026, 11, 1, 9, 0), tick=False):
        offer = factories.OfferFactory(
            organisation=business,
            available_until=dt.date(2026, 11, 30),
            days_offered=10,
            days_reserved=2,
        )
        waiting = factories.MatchFactory(offer=offer)
        accepted = factories.MatchFactory(
            offer=offer, status=MatchStatus.ACCEPTED, accepted_by_vcs=True
        )
    return offer, waiting, accepted


def test_listings_past_their_dates_expire_and_owners_are_told(
    past_offer, business_member, vcs_member
):
    offer, waiting, accepted = past_offer
    with time_machine.travel(at(2026, 11, 30, 23, 0), tick=False):  # still its last day
        assert deadlines.expire_listings() == 0
    with time_machine.travel(at(2026, 12, 1, 0, 5), tick=False):
        assert deadlines.expire_listings() == 1
        assert deadlines.expire_listings() == 0

    offer.refresh_from_db()
    assert offer.status == ListingStatus.EXPIRED
    waiting.refresh_from_db()
    assert waiting.status == MatchStatus.CANCELLED
    event = MatchEvent.objects.filter(match=waiting).last()
    assert (event.actor, event.actor_side) == (None, Side.SYSTEM)
    accepted.refresh_from_db()
    assert accepted.status == MatchStatus.ACCEPTED  # agreed work goes ahead
    expiry = Notification.objects.get(recipient=business_member, kind="listing_expired")
    assert "30 November 2026" in expiry.text
    assert links.for_notification(expiry).api == f"/api/v1/offers/{offer.pk}/"


def test_only_open_listings_expire(vcs, vcs_member):
    with time_machine.travel(at(2026, 11, 1, 9, 0), tick=False):
        draft = factories.NeedFactory(
            organisation=vcs, needed_by=dt.date(2026, 11, 20), status=ListingStatus.DRAFT
        )
        closed = factories.NeedFactory(
            organisation=vcs, needed_by=dt.date(2026, 11, 20), status=ListingStatus.CLOSED
        )
        due_today = factories.NeedFactory(organisation=vcs, needed_by=dt.date(2026, 12, 1))
        past = factories.NeedFactory(organisation=vcs, needed_by=dt.date(2026, 11, 30))
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        assert deadlines.expire_listings() == 1

    for need in (draft, closed, due_today, past):
        need.refresh_from_db()
    statuses = {n.pk: n.status for n in (draft, closed, due_today, past)}
    assert statuses == {
        draft.pk: ListingStatus.DRAFT,
        closed.pk: ListingStatus.CLOSED,
        due_today.pk: ListingStatus.OPEN,
        past.pk: ListingStatus.EXPIRED,
    }
    assert kinds_for(vcs_member) == [Notification.Kind.LISTING_EXPIRED]
