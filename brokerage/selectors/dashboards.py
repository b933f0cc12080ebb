"""What the dashboards read: the broker's headline figures and queue (who waits for
verification, which requests wait longest or sit in the most deprived wards, what arrived
today), and a member's organisations, listings, matches, hours waiting and volunteering."""

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from brokerage import access
from brokerage.infra import versions
from brokerage.models import (
    GapCase,
    ListingStatus,
    Match,
    MatchStatus,
    Membership,
    Need,
    Offer,
    Organisation,
    TimeEntry,
    User,
    Volunteer,
    Ward,
)
from brokerage.models.wards import deprivation
from brokerage.selectors.ledgers import leave_ledger
from brokerage.selectors.organisations import verification_help
from brokerage.selectors.visibility import visible_matches
from brokerage.selectors.volunteering import open_interests


def needs_in_most_deprived_wards(limit: int, areas: Collection[str] | None = None) -> list[Need]:
    """Open needs in the most deprived wards first (`models.wards.deprivation`: IMD 2025,
    highest first; the longest waiting first within a score), in `areas` (council codes) if
    given. Only the needs of the top wards are read, widening until the list is full: sorting
    every open need by its ward's score took 35 ms at 20,000 needs."""
    in_areas = Q() if areas is None else Q(council_id__in=list(areas))
    scored = list(
        Ward.objects.annotate(score=deprivation())
        .filter(in_areas, score__isnull=False)
        .order_by("-score")
        .values_list("id", "score")
    )
    needs = (
        Need.objects.annotate(ward_score=deprivation("ward__"))
        .filter(status=ListingStatus.OPEN)
        .select_related("organisation", "ward")
        .order_by("-ward_score", "published_at", "id")
    )
    wards = limit
    while scored:
        # Every ward scoring at least the `wards`-th highest: ties are never split. Named by
        # id, so the database reads those wards' needs by index, not every need's ward score.
        floor = scored[min(wards, len(scored)) - 1][1]
        top = [ward_id for ward_id, score in scored if score >= floor]
        found = list(needs.filter(ward_id__in=top)[:limit])
        if len(found) == limit or wards >= len(scored):
            return found
        wards *= 4
    return []


def market_figures() -> dict[str, int]:
    """The headline numbers: open needs, volunteer-days offered and matched, organisations.
    Kept until the market changes: the home page is every visitor's first page, and at a
    region's 20,000 needs counting was most of its time."""
    return versions.cached("market-figures", _market_figures, 600, versions.MARKET)


def _market_figures() -> dict[str, int]:
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


def broker_headlines(areas: Collection[str], *, today: dt.date | None = None) -> dict:
    """The broker's headline panel for their areas: open needs, volunteer-days offered,
    matches agreed this month, hours confirmed and £ of social value delivered this (calendar)
    year."""
    today = today or timezone.localdate()
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    confirmed = TimeEntry.objects.filter(
        access.in_areas(TimeEntry, areas),
        status=TimeEntry.Status.CONFIRMED,
        date__gte=year_start,
        date__lte=today,
    ).aggregate(hours=Sum("hours"), value=Sum("value"))
    live = Q(status__in=[ListingStatus.OPEN, ListingStatus.FULLY_MATCHED])
    offered = Offer.objects.filter(live, access.in_areas(Offer, areas)).aggregate(
        days=Sum("days_offered")
    )
    agreed = Match.objects.filter(access.in_areas(Match, areas), accepted_at__date__gte=month_start)
    return {
        "open_needs": Need.objects.filter(
            access.in_areas(Need, areas), status=ListingStatus.OPEN
        ).count(),
        "days_offered": offered["days"] or 0,
        "matches_this_month": agreed.count(),
        "hours_this_year": confirmed["hours"] or Decimal(0),
        "value_this_year": confirmed["value"] or Decimal(0),
        "year": today.year,
    }


BROKER_COUNTS_CACHE_SECONDS = 10 * 60


def broker_queue(areas: Collection[str], *, limit: int) -> dict:
    """A broker's dashboard, for the areas they broker: the headline panel, the active gap
    cases, organisations waiting for verification, the `limit` open needs waiting longest and
    in the most deprived wards (IMD 2025 score, highest first), and today's arrivals: how
    many, and the newest `limit` (a busy day must not make the page render thousands of
    rows)."""
    needs = Need.objects.filter(access.in_areas(Need, areas))
    open_needs = needs.filter(status=ListingStatus.OPEN).select_related("organisation", "ward")
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    new_needs = needs.filter(published_at__gte=start_of_today)
    new_offers = Offer.objects.filter(
        access.in_areas(Offer, areas), published_at__gte=start_of_today
    )
    # The counts and sums are kept per area and day until the market or delivered time
    # changes: at the region's 20,000 needs they were a third of the dashboard's time.
    key = f"broker-counts:{'.'.join(sorted(areas))}:{start_of_today.date()}"
    counts = versions.cached(
        key,
        lambda: {
            "headlines": broker_headlines(areas),
            "new_needs_count": new_needs.count(),
            "new_offers_count": new_offers.count(),
        },
        BROKER_COUNTS_CACHE_SECONDS,
        versions.MARKET,
        versions.DELIVERY,
    )
    return {
        **counts,
        "unmet_count": GapCase.objects.filter(
            access.in_areas(GapCase, areas), status__in=GapCase.ACTIVE
        ).count(),
        "pending": Organisation.objects.filter(
            access.in_areas(Organisation, areas),
            verification_status=Organisation.Verification.PENDING,
        ).order_by("created_at"),
        "waiting": open_needs.order_by("published_at")[:limit],
        # Answers due soonest first (`response_times.answer_by` grows with the asking time).
        "proposals_due": Match.objects.filter(
            access.in_areas(Match, areas), status=MatchStatus.PROPOSED
        )
        .select_related("offer__organisation", "need__organisation")
        .order_by("created_at", "id")[:limit],
        "cases_due": GapCase.objects.filter(
            access.in_areas(GapCase, areas), status=GapCase.Status.OPEN, owner__isnull=True
        )
        .select_related("need__organisation", "need__ward")
        .order_by("opened_at", "id")[:limit],
        "deprived": needs_in_most_deprived_wards(limit, areas),
        "new_needs": new_needs.select_related("organisation", "ward").order_by("-published_at")[
            :limit
        ],
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
        "verification": next(
            (
                verification_help(m.organisation)
                for m in memberships
                if not m.organisation.is_verified
            ),
            None,
        ),
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
        # A business's offers are its admins' to run; its other members are its volunteers,
        # who see what they are booked on and the needs that fit them instead.
        "offers": Offer.objects.filter(
            organisation_id__in=[m.organisation_id for m in memberships if m.is_admin]
        ).order_by("-created_at", "-id"),
        "needs": Need.objects.filter(organisation_id__in=org_ids)
        .select_related("ward")
        .order_by("-created_at", "-id"),
        "matches": visible_matches(user)
        .select_related("offer", "need")
        .order_by("-created_at", "-id"),
    }
