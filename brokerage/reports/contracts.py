"""Contract monitoring: what a business delivered against what it committed to the council."""

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q

from brokerage.models import Contract, Contribution, MeasureKind, SocialValueMeasure, TimeEntry


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def _years(contract: Contract, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The contract years begun by `today`: (first day, last day)."""
    years, n = [], 0
    while (start := _anniversary(contract.starts_on, n)) <= min(today, contract.ends_on):
        end = _anniversary(contract.starts_on, n + 1) - dt.timedelta(days=1)
        years.append((start, min(end, contract.ends_on)))
        n += 1
    return years


def _year_of(years: list[tuple[dt.date, dt.date]], day: dt.date) -> int | None:
    return next((i for i, (start, end) in enumerate(years) if start <= day <= end), None)


def contract_statement(contract: Contract, *, today: dt.date) -> list[dict]:
    """Delivered against committed for each contract year begun by `today`: confirmed hours,
    and £ from confirmed time and recorded contributions."""
    years = _years(contract, today)
    rows = [
        {
            "year_from": start,
            "year_to": end,
            "committed_hours": contract.committed_hours,
            "delivered_hours": Decimal(0),
            "committed_value": contract.committed_value,
            "delivered_value": Decimal(0),
        }
        for start, end in years
    ]
    time = contract.time.filter(status=TimeEntry.Status.CONFIRMED).values("date", "hours", "value")
    for entry in time:
        year = _year_of(years, entry["date"])
        if year is not None:
            rows[year]["delivered_hours"] += entry["hours"]
            rows[year]["delivered_value"] += entry["value"] or 0
    for given in contract.contributions.values("date", "value"):
        year = _year_of(years, given["date"])
        if year is not None:
            rows[year]["delivered_value"] += given["value"]
    return rows


TOMS_COLUMNS = [
    "period_from", "period_to", "measure", "description", "unit", "committed", "delivered",
    "social_value",
]  # fmt: skip


def toms_return(contract: Contract, *, today: dt.date) -> list[dict]:
    """Per contract year and measure: committed, delivered (hours, or £ for £ measures) and
    its £ social value — one row per line of a TOMs return, measures in code order. A
    measure appears when it is committed or something was delivered under it that year."""
    years = _years(contract, today)
    measures = {}  # kind → the measure row naming it: the contract's council's latest own
    # rate, else the latest national one
    for measure in SocialValueMeasure.objects.filter(
        Q(council__isnull=True) | Q(council_id=contract.council_id)
    ).order_by(F("council").asc(nulls_last=True), "kind", "-valid_from"):
        measures.setdefault(measure.kind, measure)
    committed = dict(contract.commitments.values_list("kind", "quantity"))
    delivered: dict[tuple[int, str], list[Decimal]] = {}
    time = contract.time.filter(status=TimeEntry.Status.CONFIRMED, measure__isnull=False)
    for day, kind, hours, value in time.values_list("date", "measure__kind", "hours", "value"):
        year = _year_of(years, day)
        if year is not None:
            cell = delivered.setdefault((year, kind), [Decimal(0), Decimal(0)])
            cell[0] += hours
            cell[1] += value or 0
    given = Contribution.objects.filter(contract=contract)
    for day, kind, amount, value in given.values_list("date", "measure__kind", "amount", "value"):
        year = _year_of(years, day)
        if year is not None:
            cell = delivered.setdefault((year, kind), [Decimal(0), Decimal(0)])
            cell[0] += amount
            cell[1] += value
    rows = []
    for year, (start, end) in enumerate(years):
        kinds = {k for k in committed} | {k for (y, k) in delivered if y == year}
        for kind in sorted(kinds, key=lambda k: _code_order(measures, k)):
            measure = measures.get(kind)
            done = delivered.get((year, kind), [Decimal(0), Decimal(0)])
            rows.append(
                {
                    "period_from": start,
                    "period_to": end,
                    "measure": measure.code if measure else "",
                    "description": measure.name if measure else MeasureKind(kind).label,
                    "unit": measure.unit if measure else "",
                    "committed": committed.get(kind),
                    "delivered": done[0],
                    "social_value": done[1],
                }
            )
    return rows


def _code_order(measures: dict, kind: str) -> tuple[int, str]:
    code = measures[kind].code if kind in measures else ""
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 999, kind)
