"""Hours that cannot exceed reality: one volunteer gives at most a day's hours on a calendar
day across all matches; a match holds at most its days (with extensions) of live time and
confirms no more; time and bookings fall inside the match's life and the booking's dates.
Each refusal names the field and the limit, and writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from brokerage.errors import (
    CapacityExceeded,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
)
from brokerage.models import (
    Assignment,
    LeaveBalance,
    MatchEvent,
    MatchStatus,
    Notification,
    TimeEntry,
)
from brokerage.models.volunteering import max_day_hours
from brokerage.services import assignments, hours
from brokerage.services.match_delivery import extend_match
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=3)


@pytest.fixture
def volunteer(business):
    return factories.VolunteerFactory(organisation=business, user__username="sam")


def a_match(business, vcs, days=5, **fields):
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs),
        days=days,
        **fields,
    )


def log(match, volunteer, amount, day=DAY, **fields):
    return hours.log_time(
        match=match, volunteer=volunteer, date=day, hours=Decimal(str(amount)),
        leave_type="own_time", description="Helped", by=volunteer.user, **fields,
    )  # fmt: skip


def live_hours(**filters) -> Decimal:
    entries = TimeEntry.objects.exclude(status="withdrawn").filter(**filters)
    return sum((e.hours for e in entries), Decimal(0))


def test_one_volunteer_gives_at_most_a_days_hours_on_a_day_across_matches(business, vcs, volunteer):
    first, second = a_match(business, vcs), a_match(business, vcs)
    log(first, volunteer, 5)

    with pytest.raises(CapacityExceeded) as refused:
        log(second, volunteer, 3)

    # The field says why, and what is left (it said only "At most 2.5 on that day.").
    (said,) = refused.value.fields["hours"]
    assert "already has 5 hours logged" in said and said.endswith("Enter at most 2.5.")
    assert "already has 5 hours logged" in refused.value.message
    assert TimeEntry.objects.count() == 1
    second.refresh_from_db()
    assert second.status == MatchStatus.ACCEPTED  # nothing started
    log(second, volunteer, "2.5")  # what is left of the day fits
    log(second, volunteer, 3, day=DAY - dt.timedelta(days=1))  # another day is another day


def test_withdrawn_time_frees_the_day_and_amending_cannot_overfill_it(business, vcs, volunteer):
    match = a_match(business, vcs)
    mistake = log(match, volunteer, "7.5")
    hours.withdraw_time(entry=mistake, by=volunteer.user)
    morning = log(match, volunteer, 4)
    other_day = log(match, volunteer, 4, day=DAY - dt.timedelta(days=1))

    with pytest.raises(CapacityExceeded, match="a day"):
        hours.amend_time(entry=morning, by=volunteer.user, hours=Decimal(8))
    with pytest.raises(CapacityExceeded, match="already has 4 hours"):
        hours.amend_time(entry=other_day, by=volunteer.user, date=DAY)  # onto the full day

    morning.refresh_from_db()
    other_day.refresh_from_db()
    assert (morning.hours, other_day.date) == (4, DAY - dt.timedelta(days=1))
    hours.amend_time(entry=morning, by=volunteer.user, hours=Decimal("7.5"))  # its own 4 h


def test_the_daily_maximum_is_a_setting(business, vcs, volunteer, settings):
    settings.MAX_HOURS_PER_VOLUNTEER_DAY = 10
    log(a_match(business, vcs), volunteer, 10)
    assert live_hours(volunteer=volunteer, date=DAY) == 10


def test_a_match_holds_its_days_of_time_until_it_is_extended(
    business, vcs, volunteer, broker, vcs_member
):
    match = a_match(business, vcs, days=1)
    log(match, volunteer, 4, day=DAY)
    log(match, volunteer, "3.5", day=DAY - dt.timedelta(days=1))

    with pytest.raises(CapacityExceeded) as refused:
        log(match, volunteer, 1, day=DAY - dt.timedelta(days=2))
    (said,) = refused.value.fields["hours"]  # it said "At most 0.", not why
    assert said.startswith("The match is for 1 day (7.5 hours) and 7.5 are logged")
    assert said.endswith("No more hours can be added.")
    assert "The match is for 1 day (7.5 hours)" in refused.value.message
    assert TimeEntry.objects.count() == 2

    extend_match(match=match, days=1, by=broker, note="The policy took longer")
    match.refresh_from_db()
    assert (match.days, match.extra_days, match.day_limit) == (1, 1, 2)
    event = MatchEvent.objects.get(match=match, action="extended")
    assert (event.actor, event.actor_side, event.note) == (
        broker,
        "broker",
        "The policy took longer",
    )
    assert Notification.objects.filter(recipient=vcs_member, kind="match_extended").exists()
    log(match, volunteer, 1, day=DAY - dt.timedelta(days=2))


def test_both_sides_extend_by_asking_for_the_same_days(business, vcs, business_member, vcs_member):
    match = a_match(business, vcs, days=2)

    extend_match(match=match, days=2, by=business_member)
    match.refresh_from_db()
    assert (match.extra_days, match.extension_asked_days, match.extension_asked_by_side) == (
        0, 2, "business",
    )  # fmt: skip
    with pytest.raises(InvalidTransition, match="already asked"):
        extend_match(match=match, days=2, by=business_member)
    assert Notification.objects.filter(recipient=vcs_member, kind="match_extended").exists()

    extend_match(match=match, days=1, by=vcs_member)  # a different number is a counter-ask
    match.refresh_from_db()
    assert (match.extra_days, match.extension_asked_days, match.extension_asked_by_side) == (
        0, 1, "vcs",
    )  # fmt: skip

    extend_match(match=match, days=1, by=business_member)  # agrees
    match.refresh_from_db()
    assert (match.extra_days, match.extension_asked_days, match.extension_asked_by_side) == (
        1, None, "",
    )  # fmt: skip
    assert list(match.events.values_list("action", "actor_side")) == [
        ("extension_asked", "business"), ("extension_asked", "vcs"), ("extended", "business"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("days", "error", "message"),
    [
        (0, InvalidInput, "Between 1 and 60"),
        (61, InvalidInput, "Between 1 and 60"),
        ("2", InvalidInput, "Between 1 and 60"),
        (2.5, InvalidInput, "Between 1 and 60"),
    ],
)
def test_bad_extensions_are_refused_and_change_nothing(business, vcs, broker, days, error, message):
    match = a_match(business, vcs)
    with pytest.raises(error, match=message):
        extend_match(match=match, days=days, by=broker)
    match.refresh_from_db()
    assert (match.extra_days, match.events.count()) == (0, 0)


def test_only_the_two_sides_or_a_broker_extend_an_agreed_match(business, vcs, outsider, broker):
    with pytest.raises(NotAllowed):
        extend_match(match=a_match(business, vcs), days=1, by=outsider)
    proposed = factories.MatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs),
    )
    with pytest.raises(InvalidTransition, match="proposed"):
        extend_match(match=proposed, days=1, by=broker)


def test_confirming_stops_at_the_matchs_hours_even_for_time_logged_before_the_limits(
    business, vcs, volunteer, vcs_member
):
    match = a_match(business, vcs, days=1)
    old = [
        TimeEntry.objects.create(
            match=match,
            volunteer=volunteer,
            date=DAY - dt.timedelta(days=n),
            hours=Decimal(5),
            leave_type="own_time",
            description="Helped",
        )
        for n in range(2)
    ]
    hours.confirm_time(entry=old[0], by=vcs_member)

    with pytest.raises(CapacityExceeded, match="5 are confirmed"):
        hours.confirm_time(entry=old[1], by=vcs_member)
    old[1].refresh_from_db()
    assert old[1].status == TimeEntry.Status.PENDING and old[1].value is None


def test_time_and_bookings_fall_inside_the_matchs_life_and_the_bookings_dates(
    business, vcs, volunteer, business_member
):
    match = a_match(business, vcs, accepted_at=timezone.now() - dt.timedelta(days=5))
    before = TODAY - dt.timedelta(days=6)

    with pytest.raises(InvalidInput) as refused:
        log(match, volunteer, 2, day=before)
    assert list(refused.value.fields) == ["date"]
    with pytest.raises(InvalidInput) as refused:
        assignments.book(
            match=match, volunteer=volunteer, first_day=before, last_day=TODAY,
            days=Decimal(1), leave_type="paid", by=business_member,
        )  # fmt: skip
    assert list(refused.value.fields) == ["first_day"]
    booking = assignments.book(
        match=match, volunteer=volunteer, first_day=DAY, last_day=DAY,
        days=Decimal(1), leave_type="paid", by=business_member,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="booking runs from") as refused:
        log(match, volunteer, 2, day=DAY - dt.timedelta(days=1), assignment=booking)
    assert refused.value.fields == {"date": ["Inside the booking's dates."]}
    assert not TimeEntry.objects.exists()
    assert LeaveBalance.objects.get(volunteer=volunteer, leave_type="paid").used_hours == 0


def test_bookings_stop_at_the_matchs_days_with_extensions(
    business, vcs, volunteer, business_member, broker
):
    match = a_match(business, vcs, days=1)
    book = lambda: assignments.book(  # noqa: E731
        match=match, volunteer=volunteer, first_day=DAY, last_day=DAY,
        days=Decimal(1), leave_type="unpaid", by=business_member,
    )  # fmt: skip
    book()
    with pytest.raises(CapacityExceeded, match="for 1 volunteer-day and 1 is booked"):
        book()
    extend_match(match=match, days=1, by=broker)
    book()


class HourLimitsHold(TestCase):
    """Property: whatever sequence of logs, amendments, withdrawals, confirmations, booking
    cancellations and extensions happens (refused ones included), no volunteer has more than
    the day's hours on a day, no match more live or confirmed time than its days allow, and
    no entry falls before its match was agreed."""

    DAYS = [TODAY - dt.timedelta(days=n) for n in range(1, 4)]
    operations = st.lists(
        st.tuples(
            st.sampled_from(
                ["log", "log", "log", "amend", "withdraw", "confirm", "cancel", "extend"]
            ),
            st.integers(0, 7),
            st.sampled_from(DAYS),
            st.sampled_from([Decimal("0.25"), Decimal("2.5"), Decimal(4), Decimal("7.5")]),
        ),
        min_size=4,
        max_size=25,
    )

    def _setup(self):
        business, vcs = factories.BusinessFactory(), factories.VcsFactory()
        self.admin = factories.MembershipFactory(organisation=business).user
        self.reviewer = factories.MembershipFactory(organisation=vcs).user
        self.broker = factories.MembershipFactory(organisation=factories.CouncilFactory()).user
        self.volunteers = [factories.VolunteerFactory(organisation=business) for _ in range(2)]
        self.matches = [a_match(business, vcs, days=d) for d in (1, 2)]
        self.bookings = [
            assignments.book(
                match=m,
                volunteer=v,
                first_day=self.DAYS[-1],
                last_day=self.DAYS[0],
                days=Decimal("0.5"),
                leave_type="own_time",
                by=self.admin,
            )
            for m in self.matches
            for v in self.volunteers
        ]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    def test_no_sequence_breaks_the_limits(self, ops):
        self._setup()
        logged = []
        for action, which, day, amount in ops:
            match, volunteer = self.matches[which % 2], self.volunteers[which // 2 % 2]
            try:
                if action == "log":
                    logged.append(
                        hours.log_time(
                            match=match,
                            volunteer=volunteer,
                            date=day,
                            hours=amount,
                            leave_type="own_time",
                            description="Helped",
                            by=self.admin,
                        )
                    )
                elif action == "amend" and logged:
                    entry = logged[which % len(logged)]
                    hours.amend_time(entry=entry, by=self.admin, hours=amount, date=day)
                elif action == "withdraw" and logged:
                    hours.withdraw_time(entry=logged[which % len(logged)], by=self.admin)
                elif action == "confirm" and logged:
                    hours.confirm_time(entry=logged[which % len(logged)], by=self.reviewer)
                elif action == "cancel":
                    assignments.cancel(assignment=self.bookings[which % 4], by=self.admin)
                elif action == "extend":
                    extend_match(match=match, days=1, by=self.broker)
            except DomainError:
                pass  # refused: the checks below show it changed nothing that matters

            cap = max_day_hours()
            for v in self.volunteers:
                for d in self.DAYS:
                    assert live_hours(volunteer=v, date=d) <= cap
            for m in self.matches:
                m.refresh_from_db()
                assert live_hours(match=m) <= m.hours_limit
                confirmed = TimeEntry.objects.filter(match=m, status="confirmed")
                assert sum((e.hours for e in confirmed), Decimal(0)) <= m.hours_limit
                assert not m.time.filter(date__lt=m.starts_on).exists()


def _book(match, volunteer, first, last, days):
    return assignments.book(
        match=match, volunteer=volunteer, first_day=first, last_day=last,
        days=Decimal(str(days)), leave_type="own_time", by=volunteer.organisation.memberships
        .filter(role="admin").first().user,
    )  # fmt: skip


def test_a_volunteer_is_not_booked_for_a_day_that_is_already_full(business, vcs, volunteer):
    factories.MembershipFactory(organisation=business)  # an administrator books
    first, second = a_match(business, vcs), a_match(business, vcs)
    log(first, volunteer, "7.5")  # DAY is full

    with pytest.raises(InvalidInput) as refused:
        _book(second, volunteer, DAY, DAY, 1)
    assert f"already has 7.5 hours logged on {DAY:%-d %B}" in refused.value.message
    assert "no time could be logged on it" in refused.value.message
    with pytest.raises(InvalidInput):  # two days asked of a span with one free day
        _book(second, volunteer, DAY, DAY + dt.timedelta(days=1), 2)
    assert not Assignment.objects.exists()

    _book(second, volunteer, DAY, DAY + dt.timedelta(days=1), 1)  # the next day has room
    log(first, volunteer, 2, day=DAY - dt.timedelta(days=1))  # a part-full day has room
    _book(second, volunteer, DAY - dt.timedelta(days=1), DAY - dt.timedelta(days=1), 1)
    assert Assignment.objects.count() == 2
