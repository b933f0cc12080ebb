"""The leave ledger: every change to a volunteer's leave goes through `_apply`, which locks
the balance row, checks the allowance and appends the `LeaveEntry` that explains it.

Hours, not days: a volunteer-day is VOLUNTEER_DAY_HOURS (7.5) and logged time is in hours.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brokerage.errors import InvalidInput, LeaveExceeded
from brokerage.models import (
    LeaveBalance,
    LeaveEntry,
    LeavePolicy,
    LeaveType,
    Organisation,
    User,
    Volunteer,
)
from brokerage.models.volunteering import LEAVE_WITH_ALLOWANCE
from brokerage.services._common import require_admin_or_broker, validate


def day_hours() -> Decimal:
    return Decimal(str(settings.VOLUNTEER_DAY_HOURS))


def policy_for(organisation: Organisation) -> LeavePolicy:
    """The business's leave policy (the default, 2 paid + 5 unpaid days, until it sets one)."""
    policy, _ = LeavePolicy.objects.get_or_create(organisation=organisation)
    return policy


def locked_balance(volunteer: Volunteer, leave_type: str, day: dt.date) -> LeaveBalance:
    """The balance of `leave_type` for the leave year `day` falls in, created from the policy
    the first time, and locked for the rest of the transaction."""
    policy = policy_for(volunteer.organisation)
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


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f} hours"


@transaction.atomic
def set_leave_policy(*, organisation: Organisation, by: User, **fields) -> LeavePolicy:
    """Change a business's leave policy. Allowances of leave years not yet over follow it,
    unless a volunteer has already booked or used more than the new allowance."""
    if organisation.kind != Organisation.Kind.BUSINESS:
        raise InvalidInput("Only a business has a volunteering leave policy.")
    require_admin_or_broker(by, organisation)
    unknown = set(fields) - {
        "paid_days",
        "unpaid_days",
        "year_start_month",
        "year_start_day",
        "volunteers_sign_up",
    }
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}.")
    policy = LeavePolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
    year_changes = {"year_start_month", "year_start_day"} & {
        name for name, value in fields.items() if getattr(policy, name) != value
    }
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


def ledger(volunteer: Volunteer, *, on: dt.date | None = None) -> list[dict]:
    """The volunteer's paid and unpaid leave in the leave year of `on` (today by default):
    allowance, booked, used and remaining, in hours and days."""
    policy = policy_for(volunteer.organisation)
    year_start = policy.year_start(on or timezone.localdate())
    found = {
        b.leave_type: b
        for b in LeaveBalance.objects.filter(volunteer=volunteer, year_start=year_start)
    }
    rows = []
    for leave_type in LEAVE_WITH_ALLOWANCE:
        balance = found.get(leave_type)
        allowance = (
            balance.allowance_hours if balance else policy.allowance_days(leave_type) * day_hours()
        )
        booked = balance.booked_hours if balance else Decimal(0)
        used = balance.used_hours if balance else Decimal(0)
        rows.append(
            {
                "leave_type": leave_type,
                "year_start": year_start,
                "allowance_hours": allowance,
                "booked_hours": booked,
                "used_hours": used,
                "remaining_hours": allowance - booked - used,
                "remaining_days": ((allowance - booked - used) / day_hours()).quantize(
                    Decimal("0.01")
                ),
            }
        )
    return rows
