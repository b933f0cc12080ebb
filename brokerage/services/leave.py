"""The leave ledger: every change to a volunteer's leave goes through `apply`, which changes
a locked balance row, checks the allowance and appends the `LeaveEntry` that explains it.
Time logged on leave uses it (`take_for_time`), withdrawn time gives it back
(`give_back_for_time`) and amended time moves it (`rebook_time`). Reading the ledger is
`selectors.leave_ledger`.

Hours, not days: a volunteer-day is VOLUNTEER_DAY_HOURS (7.5) and logged time is in hours.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from brokerage import selectors
from brokerage.errors import InvalidInput, LeaveExceeded
from brokerage.models import (
    Assignment,
    AuditEntry,
    LeaveBalance,
    LeaveEntry,
    LeavePolicy,
    LeaveType,
    Organisation,
    TimeEntry,
    User,
    Volunteer,
)
from brokerage.models.volunteering import LEAVE_WITH_ALLOWANCE, day_hours
from brokerage.services import audit
from brokerage.services._common import require_can_administer, validate


def locked_balance(volunteer: Volunteer, leave_type: str, day: dt.date) -> LeaveBalance:
    """The balance of `leave_type` for the leave year `day` falls in, created from the policy
    the first time, and locked for the rest of the transaction."""
    policy = selectors.leave_policy(volunteer.organisation)
    year_start = policy.year_start(day)
    allowance = policy.allowance_days(leave_type) * day_hours()
    balance, created = LeaveBalance.objects.get_or_create(
        volunteer=volunteer,
        leave_type=leave_type,
        year_start=year_start,
        defaults={"allowance_hours": allowance},
    )
    if created:
        LeaveEntry.objects.create(
            balance=balance, kind=LeaveEntry.Kind.ALLOWANCE, allowance_delta=allowance
        )
    return (
        LeaveBalance.objects.select_for_update()
        .select_related("volunteer__user")
        .get(pk=balance.pk)
    )


def apply(
    balance: LeaveBalance,
    *,
    kind: str,
    by: User | None,
    allowance: Decimal = Decimal(0),
    booked: Decimal = Decimal(0),
    used: Decimal = Decimal(0),
    assignment=None,
    time_entry=None,
) -> LeaveEntry:
    """Change a locked balance and record why. Refuses to leave it negative or over."""
    new_allowance = balance.allowance_hours + allowance
    new_booked = balance.booked_hours + booked
    new_used = balance.used_hours + used
    if new_booked < 0 or new_used < 0:
        raise ValueError(f"Leave ledger would go negative: {balance}")  # a bug, not input
    if new_allowance - new_booked - new_used < 0:
        left = balance.remaining_hours
        label = LeaveType(balance.leave_type).label.lower()
        asked = booked + used
        raise LeaveExceeded(
            f"{balance.volunteer} has {_hours(left)} of {label} left in the leave year from "
            f"{balance.year_start:%-d %B %Y}; this needs {_hours(asked)}.",
            fields={"days": [f"At most {_hours(left)} ({left / day_hours():.1f} days)."]},
        )
    balance.allowance_hours, balance.booked_hours, balance.used_hours = (
        new_allowance,
        new_booked,
        new_used,
    )
    balance.save(update_fields=["allowance_hours", "booked_hours", "used_hours"])
    return LeaveEntry.objects.create(
        balance=balance,
        kind=kind,
        allowance_delta=allowance,
        booked_delta=booked,
        used_delta=used,
        assignment=assignment,
        time_entry=time_entry,
        by=by,
    )


def take_for_time(entry: TimeEntry, *, by: User) -> None:
    """Logged time on leave uses it, first from what its booking holds for it."""
    if entry.leave_type not in LEAVE_WITH_ALLOWANCE:
        return
    balance = locked_balance(entry.volunteer, entry.leave_type, entry.date)
    from_booking = Decimal(0)
    assignment = entry.assignment
    if assignment is not None and assignment.leave_type == entry.leave_type:
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        policy = selectors.leave_policy(entry.volunteer.organisation)
        if policy.year_start(assignment.first_day) == balance.year_start:
            from_booking = min(entry.hours, assignment.booked_hours)
            assignment.booked_hours -= from_booking
            assignment.save(update_fields=["booked_hours"])
    apply(
        balance,
        kind=LeaveEntry.Kind.USED,
        by=by,
        booked=-from_booking,
        used=entry.hours,
        time_entry=entry,
    )


def give_back_for_time(entry: TimeEntry, *, by: User) -> None:
    """Time withdrawn (or about to be amended) returns the leave it used."""
    if entry.leave_type in LEAVE_WITH_ALLOWANCE:
        balance = locked_balance(entry.volunteer, entry.leave_type, entry.date)
        apply(balance, kind=LeaveEntry.Kind.RETURNED, by=by, used=-entry.hours, time_entry=entry)


def rebook_time(entry: TimeEntry, *, was: TimeEntry, by: User) -> None:
    """An amended entry's leave follows it: what it used as it `was` goes back, then it takes
    its new hours on its new date."""
    give_back_for_time(was, by=by)
    take_for_time(entry, by=by)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f} hours"


@transaction.atomic
def set_leave_policy(*, organisation: Organisation, by: User, **fields) -> LeavePolicy:
    """Change a business's leave policy. Allowances of leave years not yet over follow it,
    unless a volunteer has already booked or used more than the new allowance."""
    if organisation.kind != Organisation.Kind.BUSINESS:
        raise InvalidInput("Only a business has a volunteering leave policy.")
    require_can_administer(by, organisation)
    unknown = set(fields) - {
        "paid_days",
        "unpaid_days",
        "year_start_month",
        "year_start_day",
        "volunteers_sign_up",
        "dbs_valid_years",
    }
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}.")
    LeavePolicy.objects.get_or_create(organisation=organisation)  # the default until now
    policy = LeavePolicy.objects.select_for_update().get(organisation=organisation)
    year_changes = {"year_start_month", "year_start_day"} & {
        name for name, value in fields.items() if getattr(policy, name) != value
    }
    before = audit.snapshot(policy, list(fields))
    for name, value in fields.items():
        setattr(policy, name, value)
    validate(policy, exclude=["organisation"])
    if year_changes and LeaveBalance.objects.filter(volunteer__organisation=organisation).exists():
        raise InvalidInput(
            "The leave year cannot move once leave has been booked; change it before the "
            "first booking of the year.",
            fields={"year_start_month": ["Leave is already booked under the current year."]},
        )
    policy.save()
    changed = audit.changes_between(before, audit.snapshot(policy, list(fields)))
    if changed:
        audit.record(
            actor=by,
            action=AuditEntry.Action.LEAVE_POLICY_CHANGED,
            subject=organisation,
            organisation=organisation,
            changes=changed,
        )
    today = timezone.localdate()
    current_year = policy.year_start(today)
    balances = LeaveBalance.objects.select_for_update().filter(
        volunteer__organisation=organisation,
        leave_type__in=LEAVE_WITH_ALLOWANCE,
        year_start__gte=current_year,
    )
    for balance in balances:
        target = policy.allowance_days(balance.leave_type) * day_hours()
        if target != balance.allowance_hours:
            apply(
                balance,
                kind=LeaveEntry.Kind.ALLOWANCE,
                by=by,
                allowance=target - balance.allowance_hours,
            )
    return policy
