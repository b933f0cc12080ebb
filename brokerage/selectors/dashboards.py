"""What the dashboards read: the broker's headline figures and queue (who waits for
verification, which requests wait longest or sit in the most deprived wards, what arrived
today), and a member's organisations, listings, matches, hours waiting and volunteering."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from brokerage.models import (
    GapCase,
    ListingStatus,
    Match,
    Membership,
    Need,
    Offer,
    Organisation,
    TimeEntry,
    User,
    Volunteer,
    Ward,
)
from brokerage.selectors.ledgers import leave_ledger
from brokerage.selectors.organisations import verification_help
from brokerage.selectors.visibility import visible_matches
from brokerage.selectors.volunteering import open_interests


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


def broker_queue(*, limit: int) -> dict:
    """The broker's dashboard: the headline panel, the active gap cases, organisations waiting
    for verification, the `limit` open needs waiting longest and in the most deprived wards
    (IMD 2019 score, highest first), and today's arrivals: how many, and the newest `limit` (a
    busy day must not make the page render thousands of rows)."""
    open_needs = Need.objects.filter(status=ListingStatus.OPEN).select_related(
        "organisation", "ward"
    )
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    new_needs = Need.objects.filter(published_at__gte=start_of_today)
    new_offers = Offer.objects.filter(published_at__gte=start_of_today)
    return {
        "headlines": broker_headlines(),
        "unmet_count": GapCase.objects.filter(status__in=GapCase.ACTIVE).count(),
        "pending": Organisation.objects.filter(
            verification_status=Organisation.Verification.PENDING
        ).order_by("created_at"),
        "waiting": open_needs.order_by("published_at")[:limit],
        "deprived": needs_in_most_deprived_wards(limit),
        "new_needs_count": new_needs.count(),
        "new_needs": new_needs.select_related("organisation", "ward").order_by("-published_at")[
            :limit
        ],
        "new_offers_count": new_offers.count(),
        "new_offers": new_offers.select_related("organisation").order_by("-published_at")[:limit],
    }


def member_dashboard(user: User) -> dict:
    """A member's dashboard: their memberships (what each organisation lets them do: admins
    post offers and run the organisation; a business's other members are its volunteers),
    what a pending organisation is told, what their business's volunteers would like to help
    with (for its admins), hours waiting for the charity's confirmation, each of their
    volunteer records with leave, bookings and time, and their organisations' offers, needs
    and matches (querysets, newest first: the page pages them)."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("id")
    )
    org_ids = [m.organisation_id for m in memberships]
    volunteers = list(Volunteer.objects.filter(user=user, is_active=True))
    charities = [m.organisation for m in memberships if m.organisation.is_vcs]
    return {
        "organisations": [m.organisation for m in memberships],
        "memberships": memberships,
        "verification": verification_help()
        if any(not m.organisation.is_verified for m in memberships)
        else None,
        "interests": [
            interest
            for m in memberships
            if m.is_admin and m.organisation.is_business
            for interest in open_interests(m.organisation)[:20]
        ],
        "waiting": TimeEntry.objects.filter(
            status=TimeEntry.Status.PENDING, match__need__organisation__in=charities
        )
        .select_related("volunteer__user", "match__need", "match__offer__organisation")
        .order_by("date", "id")[:50],
        "volunteering": [
            {
                "volunteer": volunteer,
                "leave": leave_ledger(volunteer),
                "bookings": volunteer.assignments.select_related(
                    "match__need__organisation"
                ).order_by("-first_day")[:20],
                "time": volunteer.time.select_related("match__need").order_by("-date", "-id")[:20],
            }
            for volunteer in volunteers
        ],
        "offers": Offer.objects.filter(organisation_id__in=org_ids).order_by("-created_at", "-id"),
        "needs": Need.objects.filter(organisation_id__in=org_ids)
        .select_related("ward")
        .order_by("-created_at", "-id"),
        "matches": visible_matches(user)
        .select_related("offer", "need")
        .order_by("-created_at", "-id"),
    }
