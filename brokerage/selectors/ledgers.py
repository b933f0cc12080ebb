"""Ledgers and policies: a business's leave policy and each volunteer's leave ledger, Social
Value Credits, the council's valuation rules."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from brokerage.models import (
    CreditEntry,
    LeaveBalance,
    LeavePolicy,
    Organisation,
    SocialValuePolicy,
    Volunteer,
)
from brokerage.models.volunteering import LEAVE_WITH_ALLOWANCE, day_hours


def leave_policy(organisation: Organisation) -> LeavePolicy:
    """The business's leave policy: its own once set, else the default (2 paid + 5 unpaid
    days, the year from 1 January), read without being saved."""
    return LeavePolicy.objects.filter(organisation=organisation).first() or LeavePolicy(
        organisation=organisation
    )


def leave_ledger(volunteer: Volunteer, *, on: dt.date | None = None) -> list[dict]:
    """The volunteer's paid and unpaid leave in the leave year of `on` (today by default):
    allowance, booked, used and remaining, in hours and days."""
    return leave_ledgers([volunteer], on=on)[volunteer.pk]


def leave_ledgers(volunteers: list[Volunteer], *, on: dt.date | None = None) -> dict:
    """`leave_ledger` of many volunteers at once, by volunteer id, in two queries whatever
    their number (the policies of their organisations, then their balances)."""
    day = on or timezone.localdate()
    org_ids = {v.organisation_id for v in volunteers}
    saved = {p.organisation_id: p for p in LeavePolicy.objects.filter(organisation_id__in=org_ids)}
    policies = {o: saved.get(o) or LeavePolicy(organisation_id=o) for o in org_ids}
    year_starts = {o: policy.year_start(day) for o, policy in policies.items()}
    found: dict[tuple[int, str], LeaveBalance] = {}
    for balance in LeaveBalance.objects.filter(
        volunteer__in=[v.pk for v in volunteers], year_start__in=set(year_starts.values())
    ).select_related("volunteer"):
        if balance.year_start == year_starts[balance.volunteer.organisation_id]:
            found[balance.volunteer_id, balance.leave_type] = balance
    ledgers = {}
    for volunteer in volunteers:
        policy = policies[volunteer.organisation_id]
        year_start = year_starts[volunteer.organisation_id]
        rows = []
        for leave_type in LEAVE_WITH_ALLOWANCE:
            balance = found.get((volunteer.pk, leave_type))
            allowance = (
                balance.allowance_hours
                if balance
                else policy.allowance_days(leave_type) * day_hours()
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
        ledgers[volunteer.pk] = rows
    return ledgers


def credit_statement(organisation: Organisation) -> dict:
    """A business's Social Value Credits ledger with its total."""
    entries = list(
        CreditEntry.objects.filter(organisation=organisation)
        .select_related("time_entry")
        .order_by("at", "id")
    )
    return {"entries": entries, "total": sum((e.credits for e in entries), Decimal(0))}


def social_value_policy(council: str | None = None) -> SocialValuePolicy:
    """The valuation rules for time that counts for `council`: its own row, else the
    service-wide row, else the defaults (read, not saved)."""
    rows = SocialValuePolicy.objects.filter(Q(council__isnull=True) | Q(council_id=council))
    own_first = sorted(rows, key=lambda row: row.council_id is None)  # one query
    return own_first[0] if own_first else SocialValuePolicy()
