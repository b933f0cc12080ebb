"""Putting volunteers on accepted matches and booking their leave.

The days of a match's booked assignments never exceed the match's days (checked under the
match's row lock), and each booking takes its hours from the volunteer's leave balance under
that balance's row lock, so concurrent bookings can never double-count.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from brokerage import access, selectors
from brokerage.errors import CapacityExceeded, InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import outbox
from brokerage.models import (
    Assignment,
    LeaveEntry,
    LeaveType,
    Match,
    MatchStatus,
    Notification,
    TimeEntry,
    User,
    Volunteer,
)
from brokerage.models.volunteering import LEAVE_WITH_ALLOWANCE, day_hours, max_day_hours
from brokerage.services import leave, safeguarding
from brokerage.wording import quantity, within

DELIVERING = (MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS)


def _may_book(by: User, volunteer: Volunteer) -> None:
    organisation = volunteer.organisation
    sign_up = by == volunteer.user and selectors.leave_policy(organisation).volunteers_sign_up
    if access.can_book(by, volunteer, volunteers_sign_up=sign_up):
        return
    raise NotAllowed(
        f"Only an administrator of {organisation} or a broker can book volunteers"
        + ("." if by != volunteer.user else f"; {organisation} does not let volunteers sign up.")
    )


def _check_booking(
    match: Match,
    volunteer: Volunteer,
    first_day: dt.date,
    last_day: dt.date,
    days: Decimal,
    leave_type: str,
) -> None:
    """What a booking must meet on a locked, agreed match: an active volunteer of the business
    giving the help, with the checks the need asks for; dates from the match's start, within
    one leave year; days that fit between the dates and within what the match has left."""
    if match.status not in DELIVERING:
        raise InvalidTransition(
            f"Volunteers join accepted matches; this one is {match.get_status_display().lower()}."
        )
    if volunteer.organisation_id != match.offer.organisation_id or not volunteer.is_active:
        raise InvalidInput(
            f"{volunteer} is not an active volunteer of {match.offer.organisation}.",
            fields={"volunteer": ["Not a volunteer of the business giving this help."]},
        )
    if leave_type not in LeaveType.values:
        raise InvalidInput("Unknown leave type.", fields={"leave_type": ["Choose one."]})
    if last_day < first_day:
        raise InvalidInput(
            "The last day is before the first.", fields={"last_day": ["After the first day."]}
        )
    if first_day < match.starts_on:
        raise InvalidInput(
            f"The match was agreed on {match.starts_on:%-d %B %Y}; bookings start then or later.",
            fields={"first_day": [f"On or after {match.starts_on:%-d %B %Y}."]},
        )
    span = (last_day - first_day).days + 1
    if days <= 0 or days > span:
        raise InvalidInput(
            f"Between 0.5 and {span} days fit between those dates.",
            fields={"days": [f"At most {span}."]},
        )
    _check_room_to_log(volunteer, first_day, last_day, days)
    on_record = Volunteer.objects.select_related("user", "organisation").get(pk=volunteer.pk)
    unsafe = safeguarding.refusal(on_record, match.need, first_day, last_day)
    if unsafe:
        raise InvalidInput(unsafe, fields={"volunteer": [unsafe]})
    policy = selectors.leave_policy(volunteer.organisation)
    if policy.year_start(first_day) != policy.year_start(last_day):
        raise InvalidInput(
            "The dates cross into the next leave year; book each year separately.",
            fields={"last_day": ["Within the leave year of the first day."]},
        )
    booked = match.assignments.filter(status=Assignment.Status.BOOKED).aggregate(d=Sum("days"))
    taken = booked["d"] or Decimal(0)
    if taken + days > match.day_limit:
        reason = (
            f"The match is for {quantity(match.day_limit, 'volunteer-day')} and "
            f"{taken.normalize():f} {'is' if taken == 1 else 'are'} booked."
        )
        left = match.day_limit - taken
        raise CapacityExceeded(reason, fields={"days": [within(reason, left, "day")]})


def _check_room_to_log(
    volunteer: Volunteer, first_day: dt.date, last_day: dt.date, days: Decimal
) -> None:
    """A booking needs days on which the volunteer can still log time: a day that already
    holds the most hours a volunteer gives in a day (on any match) has no room for it."""
    cap = max_day_hours()
    logged = (
        TimeEntry.objects.filter(volunteer=volunteer, date__range=(first_day, last_day))
        .exclude(status=TimeEntry.Status.WITHDRAWN)
        .values("date")
        .annotate(hours=Sum("hours"))
    )
    full = sorted(row["date"] for row in logged if row["hours"] >= cap)
    room = (last_day - first_day).days + 1 - len(full)
    if days <= room:
        return
    named = ", ".join(f"{day:%-d %B}" for day in full[:3]) + (" …" if len(full) > 3 else "")
    reason = (
        f"{volunteer} already has {quantity(cap, 'hour')} logged on {named}, the most a "
        "volunteer gives in a day, so no time could be logged on "
        + ("it" if len(full) == 1 else "those days")
        + "."
    )
    field = "days" if room > 0 else "first_day"
    raise InvalidInput(reason, fields={field: [within(reason, Decimal(room), "day")]})


@transaction.atomic
def book(
    *,
    match: Match,
    volunteer: Volunteer,
    first_day: dt.date,
    last_day: dt.date,
    days: Decimal,
    leave_type: str,
    by: User,
) -> Assignment:
    """Book `volunteer` on `match` for `days` between two dates, on a kind of leave."""
    days = Decimal(str(days))
    _may_book(by, volunteer)
    match = (
        Match.objects.select_for_update()
        .select_related("offer__organisation", "need")
        .get(pk=match.pk)
    )
    _check_booking(match, volunteer, first_day, last_day, days, leave_type)
    hours = days * day_hours() if leave_type in LEAVE_WITH_ALLOWANCE else Decimal(0)
    assignment = Assignment.objects.create(
        match=match,
        volunteer=volunteer,
        first_day=first_day,
        last_day=last_day,
        days=days,
        leave_type=leave_type,
        booked_hours=hours,
        created_by=by,
    )
    if hours:
        balance = leave.locked_balance(volunteer, leave_type, first_day)
        leave.apply(
            balance, kind=LeaveEntry.Kind.BOOKED, by=by, booked=hours, assignment=assignment
        )
    outbox.notify(
        recipients=[volunteer.user],
        kind=Notification.Kind.VOLUNTEER_BOOKED,
        text=(
            f"You are booked for {quantity(days, 'day')} on '{match.need}' "
            f"({match.need.organisation}) from {first_day:%-d %B}."
        ),
        subject=assignment,
        exclude=by,
    )
    return assignment


def release(assignment: Assignment, *, by: User | None) -> None:
    """Give back the leave still booked for a locked assignment."""
    if assignment.booked_hours > 0:
        balance = leave.locked_balance(
            assignment.volunteer, assignment.leave_type, assignment.first_day
        )
        leave.apply(
            balance,
            kind=LeaveEntry.Kind.RELEASED,
            by=by,
            booked=-assignment.booked_hours,
            assignment=assignment,
        )
        assignment.booked_hours = Decimal(0)
        assignment.save(update_fields=["booked_hours"])


@transaction.atomic
def cancel(*, assignment: Assignment, by: User) -> Assignment:
    """Take a volunteer off a match; the leave not yet used goes back to them."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("volunteer__organisation", "volunteer__user")
        .get(pk=assignment.pk)
    )
    _may_book(by, assignment.volunteer)
    if assignment.status != Assignment.Status.BOOKED:
        raise InvalidTransition("This booking is already cancelled.")
    release(assignment, by=by)
    assignment.status = Assignment.Status.CANCELLED
    assignment.save(update_fields=["status"])
    return assignment
