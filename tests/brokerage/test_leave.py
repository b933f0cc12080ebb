"""Volunteers' leave: a ledger of allowance, booked and used hours per leave type and year.
Booking past the allowance fails clearly and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from brokerage import selectors
from brokerage.errors import CapacityExceeded, InvalidInput, LeaveExceeded, NotAllowed
from brokerage.models import Assignment, LeaveBalance, LeaveEntry, Notification, Volunteer
from brokerage.services import assignments, leave, volunteers
from tests import factories

pytestmark = pytest.mark.django_db
H = Decimal  # hours, as the ledger keeps them


@pytest.fixture
def volunteer(business, business_member):
    user = factories.UserFactory(username="sam", first_name="Sam", last_name="Patel")
    factories.MembershipFactory(organisation=business, user=user, role="member")
    return volunteers.add_volunteer(organisation=business, user=user, by=business_member)


@pytest.fixture
def match(business, vcs):
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business), need=factories.NeedFactory(
            organisation=vcs), days=5
    )  # fmt: skip


def book(match, volunteer, by, days=1, leave_type="paid", first=dt.date(2026, 12, 7), span=3):
    return assignments.book(
        match=match, volunteer=volunteer, first_day=first,
        last_day=first + dt.timedelta(days=span - 1), days=Decimal(days), leave_type=leave_type,
        by=by,
    )  # fmt: skip


def paid(volunteer, on=dt.date(2026, 12, 7)):
    return next(r for r in selectors.leave_ledger(volunteer, on=on) if r["leave_type"] == "paid")


def test_default_policy_is_two_paid_and_five_unpaid_days(volunteer):
    rows = {r["leave_type"]: r for r in selectors.leave_ledger(volunteer, on=dt.date(2026, 12, 7))}

    assert rows["paid"]["allowance_hours"] == H("15") and rows["paid"]["remaining_days"] == 2
    assert rows["unpaid"]["allowance_hours"] == H("37.5")
    assert rows["paid"]["year_start"] == dt.date(2026, 1, 1)


def test_booking_takes_hours_from_the_allowance_and_tells_the_volunteer(
    match, volunteer, business_member
):
    assignment = book(match, volunteer, business_member, days=1)

    row = paid(volunteer)
    assert (row["booked_hours"], row["used_hours"], row["remaining_hours"]) == (H("7.5"), 0, 7.5)
    assert assignment.booked_hours == H("7.5")
    told = Notification.objects.get(recipient=volunteer.user)
    assert told.kind == "volunteer_booked" and "booked for 1 day on" in told.text


def test_booking_past_the_allowance_fails_and_changes_nothing(match, volunteer, business_member):
    book(match, volunteer, business_member, days=1)

    with pytest.raises(LeaveExceeded) as refused:
        book(match, volunteer, business_member, days=2)

    assert "7.5 hours of paid volunteering leave left" in refused.value.message
    assert Assignment.objects.count() == 1
    assert paid(volunteer)["booked_hours"] == H("7.5")


def test_own_time_needs_no_leave(match, volunteer, business_member):
    book(match, volunteer, business_member, days=3, leave_type="own_time")

    assert paid(volunteer)["booked_hours"] == 0
    assert not LeaveBalance.objects.exists()


def test_cancelling_gives_the_booked_leave_back(match, volunteer, business_member):
    assignment = book(match, volunteer, business_member, days=2)

    assignments.cancel(assignment=assignment, by=business_member)

    assert paid(volunteer)["remaining_hours"] == H("15")
    assert [e.kind for e in LeaveEntry.objects.order_by("id")] == [
        "allowance", "booked", "released"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"days": 6, "span": 7}, CapacityExceeded),  # the match is for 5 days
        ({"days": 4, "span": 3}, InvalidInput),  # 4 days do not fit in 3
        ({"days": 0}, InvalidInput),
        ({"leave_type": "sabbatical"}, InvalidInput),
        ({"first": dt.date(2026, 12, 31), "span": 3}, InvalidInput),  # crosses the leave year
    ],
)
def test_bad_bookings_are_refused_and_save_nothing(
    match, volunteer, business_member, change, error
):
    with pytest.raises(error):
        book(match, volunteer, business_member, **({"days": 1} | change))

    assert not Assignment.objects.exists() and not LeaveEntry.objects.exclude(kind="allowance")


def test_bookings_never_exceed_the_matchs_days(match, business, business_member):
    people = [factories.VolunteerFactory(organisation=business) for _ in range(3)]
    book(match, people[0], business_member, days=2, leave_type="unpaid")
    book(match, people[1], business_member, days=2, leave_type="unpaid")

    with pytest.raises(CapacityExceeded, match="for 5 volunteer-days and 4 are booked"):
        book(match, people[2], business_member, days=2, leave_type="unpaid")


def test_who_may_book(match, volunteer, business, business_member, broker, vcs_member):
    with pytest.raises(NotAllowed, match="does not let volunteers sign up"):
        book(match, volunteer, volunteer.user)
    with pytest.raises(NotAllowed):
        book(match, volunteer, vcs_member)

    leave.set_leave_policy(organisation=business, by=business_member, volunteers_sign_up=True)
    book(match, volunteer, volunteer.user)  # now they may put themselves forward
    book(match, volunteer, broker, leave_type="unpaid")


def test_volunteers_are_members_of_an_active_business(business, business_member, vcs):
    stranger = factories.UserFactory()
    with pytest.raises(InvalidInput, match="not a member"):
        volunteers.add_volunteer(organisation=business, user=stranger, by=business_member)
    with pytest.raises(InvalidInput, match="employees of a business"):
        volunteers.add_volunteer(organisation=vcs, user=stranger, by=business_member)
    assert not Volunteer.objects.exists()


def test_a_former_volunteer_cannot_be_booked(match, volunteer, business_member):
    volunteers.remove_volunteer(volunteer=volunteer, by=volunteer.user)

    with pytest.raises(InvalidInput, match="not an active volunteer"):
        book(match, volunteer, business_member)


def test_policy_change_moves_this_years_allowance_unless_already_taken(
    match, volunteer, business, business_member
):
    this_year = dt.date(dt.date.today().year, 6, 1)  # in the current leave year
    book(match, volunteer, business_member, days=2, first=this_year)

    with pytest.raises(LeaveExceeded):
        leave.set_leave_policy(organisation=business, by=business_member, paid_days=Decimal(1))
    assert paid(volunteer, on=this_year)["allowance_hours"] == H("15")

    leave.set_leave_policy(organisation=business, by=business_member, paid_days=Decimal(3))
    assert paid(volunteer, on=this_year)["remaining_hours"] == H("7.5")


def test_the_leave_year_is_configurable_until_leave_is_booked(
    match, volunteer, business, business_member
):
    leave.set_leave_policy(
        organisation=business, by=business_member, year_start_month=4, year_start_day=1
    )
    assert paid(volunteer, on=dt.date(2027, 3, 31))["year_start"] == dt.date(2026, 4, 1)
    assert paid(volunteer, on=dt.date(2027, 4, 1))["year_start"] == dt.date(2027, 4, 1)

    book(match, volunteer, business_member, days=1)
    with pytest.raises(InvalidInput, match="leave year cannot move"):
        leave.set_leave_policy(organisation=business, by=business_member, year_start_month=9)


@pytest.mark.parametrize(
    "fields", [{"paid_days": Decimal(-1)}, {"year_start_month": 13}, {"year_start_day": 31}]
)
def test_bad_policies_are_refused(business, business_member, fields):
    with pytest.raises(InvalidInput):
        leave.set_leave_policy(organisation=business, by=business_member, **fields)
    assert selectors.leave_policy(business).paid_days == 2


def test_only_an_administrator_or_broker_sets_the_policy(business, volunteer):
    with pytest.raises(NotAllowed):
        leave.set_leave_policy(organisation=business, by=volunteer.user, paid_days=Decimal(9))
