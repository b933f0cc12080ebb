"""Time given on a match: logged by the volunteer's side, confirmed or queried by the VCS
organisation only; the match starts with the first log and completes when both sides close
it; then each side gives feedback once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage import selectors
from brokerage.errors import InvalidInput, InvalidTransition, LeaveExceeded, NotAllowed
from brokerage.messaging import links
from brokerage.models import (
    Assignment,
    Feedback,
    LeaveBalance,
    MatchEvent,
    MatchStatus,
    Notification,
    TimeEntry,
)
from brokerage.services import assignments, hours, match_delivery
from brokerage.services.match_delivery import close_match
from tests import factories

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def volunteer(business):
    return factories.VolunteerFactory(organisation=business, user__username="sam")


@pytest.fixture
def match(business, vcs):
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs, title="Volunteer policy"),
    )


@pytest.fixture
def booking(match, volunteer, business_member):
    return assignments.book(
        match=match, volunteer=volunteer, first_day=YESTERDAY, last_day=YESTERDAY,
        days=Decimal(1), leave_type="paid", by=business_member,
    )  # fmt: skip


def log(match, volunteer, by, **fields):
    values = {"date": YESTERDAY, "hours": Decimal("7.5"), "leave_type": "paid",
              "description": "Drafted the volunteer policy"} | fields  # fmt: skip
    return hours.log_time(match=match, volunteer=volunteer, by=by, **values)


def balance(volunteer) -> LeaveBalance:
    return LeaveBalance.objects.get(volunteer=volunteer, leave_type="paid")


def test_first_log_starts_the_match_uses_the_booked_leave_and_asks_for_confirmation(
    match, volunteer, booking, vcs_member
):
    entry = log(match, volunteer, volunteer.user)

    match.refresh_from_db()
    assert match.status == MatchStatus.IN_PROGRESS
    assert MatchEvent.objects.filter(match=match, action="started").count() == 1
    assert entry.assignment == booking and entry.status == TimeEntry.Status.PENDING
    assert (balance(volunteer).booked_hours, balance(volunteer).used_hours) == (0, Decimal("7.5"))
    ask = Notification.objects.get(recipient=vcs_member, kind="hours_to_confirm")
    assert (
        "logged 7.5 hours" in ask.text
        and links.for_notification(ask).api == f"/api/v1/time-entries/{entry.pk}/"
    )


def test_time_beyond_the_booking_draws_on_the_allowance_until_it_runs_out(
    match, volunteer, booking
):
    log(match, volunteer, volunteer.user, hours=Decimal("7.5"))
    before = YESTERDAY - dt.timedelta(days=1)
    log(match, volunteer, volunteer.user, date=before, hours=Decimal("7.5"))  # 2nd paid day

    with pytest.raises(LeaveExceeded):
        log(match, volunteer, volunteer.user, date=before - dt.timedelta(days=1), hours=1)
    assert TimeEntry.objects.count() == 2
    assert balance(volunteer).used_hours == 15


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": timezone.localdate() + dt.timedelta(days=1)}, "once it has been given"),
        ({"hours": Decimal("0.1")}, "greater than or equal to 0.25"),
        ({"hours": Decimal(13)}, "less than or equal to 12"),
        ({"leave_type": "sabbatical"}, "not a valid choice"),
        ({"description": ""}, "cannot be blank"),
    ],
)
def test_bad_time_is_refused_and_changes_nothing(match, volunteer, booking, fields, message):
    with pytest.raises(InvalidInput, match=message):
        log(match, volunteer, volunteer.user, **fields)

    assert not TimeEntry.objects.exists()
    assert balance(volunteer).booked_hours == Decimal("7.5")
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED


def test_time_needs_an_accepted_match_and_the_businesss_own_volunteer(match, volunteer, vcs):
    proposed = factories.MatchFactory(offer=match.offer, need=factories.NeedFactory())
    with pytest.raises(InvalidTransition):
        log(proposed, volunteer, volunteer.user)
    other = factories.VolunteerFactory()
    with pytest.raises(NotAllowed):
        log(match, other, volunteer.user)  # logging for someone else
    with pytest.raises(InvalidInput, match="does not volunteer for"):
        log(match, other, other.user)


def test_only_the_needs_organisation_confirms(
    match, volunteer, booking, business_member, broker, outsider, vcs_member
):
    entry = log(match, volunteer, volunteer.user)

    for who in (volunteer.user, business_member, broker, outsider):
        with pytest.raises(NotAllowed):
            hours.confirm_time(entry=entry, by=who)
    confirmed = hours.confirm_time(entry=entry, by=vcs_member)

    assert confirmed.status == TimeEntry.Status.CONFIRMED and confirmed.reviewed_by == vcs_member
    with pytest.raises(InvalidTransition):
        hours.confirm_time(entry=entry, by=vcs_member)
    with pytest.raises(InvalidTransition):  # confirmed time is settled
        hours.amend_time(entry=entry, by=volunteer.user, hours=Decimal(1))


def test_a_query_goes_back_to_the_volunteer_who_amends_then_it_is_confirmed(
    match, volunteer, booking, business_member, vcs_member
):
    entry = log(match, volunteer, volunteer.user, hours=Decimal("7.5"))

    with pytest.raises(InvalidInput):
        hours.query_time(entry=entry, by=vcs_member, note="  ")
    hours.query_time(entry=entry, by=vcs_member, note="We had you for half a day")
    told = Notification.objects.filter(kind="hours_queried")
    assert {n.recipient for n in told} == {volunteer.user, business_member}
    assert "half a day" in told[0].text

    amended = hours.amend_time(entry=entry, by=volunteer.user, hours=Decimal("3.5"))
    assert amended.status == TimeEntry.Status.PENDING
    assert balance(volunteer).used_hours == Decimal("3.5")  # the leave follows
    hours.confirm_time(entry=entry, by=vcs_member)


def test_withdrawing_time_gives_the_leave_back(match, volunteer, booking):
    entry = log(match, volunteer, volunteer.user)

    hours.withdraw_time(entry=entry, by=volunteer.user)

    entry.refresh_from_db()
    assert entry.status == TimeEntry.Status.WITHDRAWN
    assert balance(volunteer).used_hours == 0


def test_both_sides_close_then_the_match_is_completed_and_unused_leave_released(
    match, volunteer, business, business_member, vcs_member
):
    booked = assignments.book(
        match=match, volunteer=volunteer, first_day=YESTERDAY, last_day=YESTERDAY + dt.timedelta(1),
        days=Decimal(2), leave_type="paid", by=business_member,
    )  # fmt: skip
    entry = log(match, volunteer, volunteer.user)

    hours.confirm_time(entry=entry, by=vcs_member)
    close_match(match=match, by=vcs_member)
    match.refresh_from_db()
    assert match.status == MatchStatus.IN_PROGRESS and match.closed_by_vcs
    with pytest.raises(InvalidTransition, match="already closed"):
        close_match(match=match, by=vcs_member)

    close_match(match=match, by=business_member)

    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED and match.completed_at
    assert Assignment.objects.get(pk=booked.pk).booked_hours == 0
    assert balance(volunteer).booked_hours == 0 and balance(volunteer).used_hours == Decimal("7.5")
    assert Notification.objects.filter(kind="match_completed", recipient=vcs_member).exists()
    leave_row = next(
        r for r in selectors.leave_ledger(volunteer, on=YESTERDAY) if r["leave_type"] == "paid"
    )
    assert leave_row["remaining_hours"] == Decimal("7.5")


def test_a_match_without_time_cannot_be_closed(match, vcs_member):
    with pytest.raises(InvalidTransition, match="under way"):
        close_match(match=match, by=vcs_member)


def test_feedback_once_per_side_after_completion(
    match, volunteer, booking, business_member, vcs_member, outsider
):
    entry = log(match, volunteer, volunteer.user)
    with pytest.raises(InvalidTransition, match="once the match is completed"):
        hours.give_feedback(match=match, by=vcs_member, rating=5)
    hours.confirm_time(entry=entry, by=vcs_member)
    close_match(match=match, by=vcs_member)
    close_match(match=match, by=business_member)

    given = hours.give_feedback(
        match=match, by=vcs_member, rating=5, outcomes=["hr_policy"],
        story="We have our first volunteer policy.", consent_to_publish=True,
    )  # fmt: skip
    hours.give_feedback(match=match, by=business_member, rating=4)

    assert given.side == "vcs" and Feedback.objects.count() == 2
    with pytest.raises(InvalidTransition, match="already given"):
        hours.give_feedback(match=match, by=vcs_member, rating=1)
    with pytest.raises(NotAllowed):
        hours.give_feedback(match=match, by=outsider, rating=3)


@pytest.mark.parametrize(
    ("fields", "field"), [({"rating": 6}, "rating"), ({"rating": 0}, "rating"),
                          ({"rating": 4, "outcomes": ["world_peace"]}, "outcomes")],
)  # fmt: skip
def test_bad_feedback_is_refused(match, vcs_member, fields, field):
    match.status = MatchStatus.COMPLETED
    match.save()

    with pytest.raises(InvalidInput) as refused:
        hours.give_feedback(match=match, by=vcs_member, **fields)

    assert field in refused.value.fields
    assert not Feedback.objects.exists()


def test_a_side_closes_while_time_waits_and_the_match_completes_when_it_is_settled(
    match, volunteer, business_member, vcs_member
):
    """The business cannot settle the charity's confirmations: its close is kept, the
    charity is told what is left, and the match completes with the last confirmation."""
    first, second = (
        log(match, volunteer, volunteer.user),
        log(match, volunteer, volunteer.user, date=YESTERDAY - dt.timedelta(days=1)),
    )

    close_match(match=match, by=business_member)
    match.refresh_from_db()
    assert match.status == MatchStatus.IN_PROGRESS and match.closed_by_business
    told = Notification.objects.get(kind="match_closing", recipient=vcs_member,
                                    text__contains="closed its side")  # fmt: skip
    assert "2 time entries wait for" in told.text and str(match.need.organisation) in told.text

    hours.query_time(entry=second, by=vcs_member, note="Was it two hours?")
    close_match(match=match, by=vcs_member)  # the charity closes too: still one of each waits
    match.refresh_from_db()
    assert match.status == MatchStatus.IN_PROGRESS and match.closed_by_vcs
    left = match_delivery.still_to_settle(match)
    assert left == (
        f"1 time entry waits for {match.need.organisation} to confirm and 1 queried time "
        f"entry waits for {match.offer.organisation} to answer."
    )

    hours.confirm_time(entry=first, by=vcs_member)
    match.refresh_from_db()
    assert match.status == MatchStatus.IN_PROGRESS  # the queried one still waits
    hours.withdraw_time(entry=second, by=volunteer.user)
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED and match.completed_at
    assert Notification.objects.filter(kind="match_completed", recipient=vcs_member).exists()
