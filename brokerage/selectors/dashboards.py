"""What a broker's dashboard reads: the headline figures and the queue of open needs in the
most deprived wards."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from brokerage.models import (
    ListingStatus,
    Match,
    Need,
    Offer,
    Organisation,
    TimeEntry,
    Ward,
)


def needs_in_most_deprived_wards(limit: int) -> list[Need]:
    """Open needs in the most deprived wards first (IMD 2019 score, highest first; the longest
    waiting first within a score). Only the needs of the top wards are read, widening until the
    list is full: sorting every open need by its ward's score took 35 ms at 20,000 needs."""
    scores = list(
        Ward.objects.filter(imd_score__isnull=False)
        .order_by("-imd_score")
        .values_list("imd_score", flat=True)
    )
    needs = (
        Need.objects.filter(status=ListingStatus.OPEN, ward__imd_score__isnull=False)
        .select_related("organisation", "ward")
        .order_by("-ward__imd_score", "published_at", "id")
    )
    wards = limit
    while scores:
        # Every ward scoring at least the `wards`-th highest: ties are never split.
        floor = scores[min(wards, len(scores)) - 1]
        found = list(needs.filter(ward__imd_score__gte=floor)[:limit])
        if len(found) == limit or wards >= len(scores):
            return found
        wards *= 4
    return []


def market_figures() -> dict[str, int]:
    """The headline numbers: open needs, volunteer-days offered and matched, organisations."""
    live = Q(status__in=[ListingStatus.OPEN, ListingStatus.FULLY_MATCHED])
    offers = Offer.objects.filter(live).aggregate(offered=Sum("days_offered"))
    matched = Need.objects.aggregate(matched=Sum("days_reserved"))
    return {
        "open_needs": Need.objects.filter(status=ListingStatus.OPEN).count(),
        "days_offered": offers["offered"] or 0,
        "days_matched": matched["matched"] or 0,
        "organisations": Organisation.objects.filter(
            verification_status=Organisation.Verification.VERIFIED
        )
        .exclude(kind=Organisation.Kind.COUNCIL)
        .count(),
    }


def broker_headlines(*, today: dt.date | None = None) -> dict:
    """The broker's headline panel: open needs, volunteer-days offered, matches agreed this
    month, hours confirmed and £ of social value delivered this (calendar) year."""
    today = today or timezone.localdate()
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    confirmed = TimeEntry.objects.filter(
        status=TimeEntry.Status.CONFIRMED, date__gte=year_start, date__lte=today
    ).aggregate(hours=Sum("hours"), value=Sum("value"))
    figures = market_figures()
    return {
        "open_needs": figures["open_needs"],
        "days_offered": figures["days_offered"],
        "matches_this_month": Match.objects.filter(accepted_at__date__gte=month_start).count(),
        "hours_this_year": confirmed["hours"] or Decimal(0),
        "value_this_year": confirmed["value"] or Decimal(0),
        "year": today.year,
    }
