"""Social value per council: what was delivered under the contracts a council let, wherever
it was delivered (the return names the council and ward of each need helped), and a combined
authority's roll-up, which is its councils' returns together and adds up to them."""

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Sum

from brokerage.access.places import with_constituents
from brokerage.models import Contribution, TimeEntry

RETURN_COLUMNS = [
    "council", "contract", "contract_title", "contract_reference", "business", "measure",
    "description", "delivered_in_council", "delivered_in_ward", "hours", "amount",
    "social_value",
]  # fmt: skip


def council_return(
    councils: Collection[str], *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[dict]:
    """For the contracts `councils` let (a combined authority's: its constituents'), per
    contract, measure and place of delivery: confirmed hours and contributions (£ or
    equipment) in the period and their £ social value. Contributions have no ward."""
    codes = list(with_constituents(councils))
    period = {}
    if date_from:
        period["date__gte"] = date_from
    if date_to:
        period["date__lte"] = date_to
    contract = ["contract__council__name", "contract_id", "contract__title", "contract__reference"]
    time = (
        TimeEntry.objects.filter(
            status=TimeEntry.Status.CONFIRMED, contract__council_id__in=codes, **period
        )
        .values(
            *contract,
            "contract__organisation__name",
            "measure__code",
            "measure__name",
            "match__need__ward__council__name",
            "match__need__ward__name",
        )
        .annotate(hours=Sum("hours"), value=Sum("value"))
    )
    given = (
        Contribution.objects.filter(contract__council_id__in=codes, **period)
        .values(*contract, "organisation__name", "measure__code", "measure__name")
        .annotate(amount=Sum("amount"), value=Sum("value"))
    )
    rows = [
        _row(r, r["contract__organisation__name"], hours=r["hours"], amount=None)
        | {
            "delivered_in_council": r["match__need__ward__council__name"],
            "delivered_in_ward": r["match__need__ward__name"],
        }
        for r in time
    ] + [_row(r, r["organisation__name"], hours=None, amount=r["amount"]) for r in given]
    return sorted(
        rows,
        key=lambda r: (r["council"], r["contract"], r["measure"], r["delivered_in_ward"] or ""),
    )


def _row(values: dict, business: str, *, hours, amount) -> dict:
    return {
        "council": values["contract__council__name"],
        "contract": values["contract_id"],
        "contract_title": values["contract__title"],
        "contract_reference": values["contract__reference"],
        "business": business,
        "measure": values["measure__code"] or "",
        "description": values["measure__name"] or "",
        "delivered_in_council": None,
        "delivered_in_ward": None,
        "hours": hours,
        "amount": amount,
        "social_value": values["value"] or Decimal(0),
    }


def total_value(rows: list[dict]) -> Decimal:
    return sum((row["social_value"] for row in rows), Decimal(0))
