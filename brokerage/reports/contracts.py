"""Contract monitoring: what a business delivered against what it committed to the council."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from brokerage.models import Contract, TimeEntry


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def contract_statement(contract: Contract, *, today: dt.date) -> list[dict]:
    """Delivered against committed for each contract year begun by `today`."""
    rows = []
    year = 0
    while (start := _anniversary(contract.starts_on, year)) <= min(today, contract.ends_on):
        end = min(
            _anniversary(contract.starts_on, year + 1) - dt.timedelta(days=1), contract.ends_on
        )
        done = contract.time.filter(
            status=TimeEntry.Status.CONFIRMED, date__gte=start, date__lte=end
        ).aggregate(hours=Sum("hours"), value=Sum("value"))
        rows.append(
            {
                "year_from": start,
                "year_to": end,
                "committed_hours": contract.committed_hours,
                "delivered_hours": done["hours"] or Decimal(0),
                "committed_value": contract.committed_value,
                "delivered_value": done["value"] or Decimal(0),
            }
        )
        year += 1
    return rows
