"""A volunteer's view of the market: open needs that ask for their skills, and their
business's volunteers' interest in needs."""

from decimal import Decimal

from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import ExtractYear

from brokerage.infra import versions
from brokerage.models import (
    Interest,
    ListingStatus,
    Need,
    Organisation,
    TimeEntry,
    User,
    Volunteer,
)

FITTING_CACHE_SECONDS = 600


def needs_fitting(volunteer: Volunteer, *, limit: int = 20) -> list[dict]:
    """Open needs that ask for a skill this volunteer has, most shared skills first, with
    the plain reasons (which of their skills it needs; essential or nice to have)."""
    mine = sorted(volunteer.skills.values_list("pk", flat=True))
    if not mine:
        return []
    # The ranking is kept per set of skills until the market changes: at a region's 20,000
    # needs counting shared skills was most of the page's database time.
    ranked = versions.cached(
        f"needs-fitting:{limit}:{'.'.join(map(str, mine))}",
        lambda: _ranked_needs(mine, limit),
        FITTING_CACHE_SECONDS,
        versions.MARKET,
    )
    needs = (
        Need.objects.filter(status=ListingStatus.OPEN)
        .select_related("organisation", "ward")
        .prefetch_related("need_skills__skill")
    )
    by_id = needs.in_bulk([pk for pk, _ in ranked])
    found = []
    for pk, shared_count in ranked:
        need = by_id.get(pk)
        if need is None:  # no longer open (a change moves the version; this is the belt)
            continue
        shared = [row for row in need.need_skills.all() if row.skill_id in mine]
        found.append(
            {
                "need": need,
                "shared": shared_count,
                "reasons": [
                    f"needs {row.skill.name}, which you have"
                    + ("" if row.must_have else " (nice to have)")
                    for row in shared
                ],
            }
        )
    return found


def _ranked_needs(skills: list[int], limit: int) -> list[tuple[int, int]]:
    """(need id, shared skills) of the top `limit` open needs asking for any of `skills`.
    The join is filtered to those skills, so counting its rows counts the shared ones."""
    rows = (
        Need.objects.filter(status=ListingStatus.OPEN, need_skills__skill__in=skills)
        .annotate(shared=Count("need_skills"))
        .order_by("-shared", "needed_by", "id")
        .values_list("id", "shared")[:limit]
    )
    return list(rows)


def open_interests(organisation: Organisation) -> QuerySet[Interest]:
    """What the business's volunteers would like to help with, newest first (for its admins)."""
    return (
        Interest.objects.filter(
            volunteer__organisation=organisation,
            withdrawn_at__isnull=True,
            need__status=ListingStatus.OPEN,
        )
        .select_related("volunteer__user", "need__organisation")
        .order_by("-created_at")
    )


def interest_in(user: User, need: Need) -> list[dict]:
    """For each business `user` volunteers for: their volunteer record and the interest they
    registered in `need` (None if they have not said they would like to help)."""
    volunteers = list(
        Volunteer.objects.filter(user=user, is_active=True).select_related("organisation")
    )
    if not volunteers:
        return []
    registered = {
        interest.volunteer_id: interest
        for interest in Interest.objects.filter(
            volunteer__in=volunteers, need=need, withdrawn_at__isnull=True
        )
    }
    return [{"volunteer": v, "interest": registered.get(v.pk)} for v in volunteers]


def volunteering_record(user: User) -> dict:
    """A person's record of confirmed volunteering, for their certificate: one row per match
    (what, for whom, through which employer, first and last day, hours), each year's hours,
    and the totals. Only hours the charity confirmed count."""
    confirmed = TimeEntry.objects.filter(volunteer__user=user, status=TimeEntry.Status.CONFIRMED)
    rows = list(
        confirmed.values(
            "match_id",
            need_title=F("match__need__title"),
            charity=F("match__need__organisation__name"),
            employer=F("volunteer__organisation__name"),
        )
        .annotate(hours=Sum("hours"), first=Min("date"), last=Max("date"))
        .order_by("first", "match_id")
    )
    years = list(
        confirmed.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(hours=Sum("hours"))
        .order_by("year")
    )
    total = sum((row["hours"] for row in rows), Decimal(0))
    return {
        "rows": rows,
        "years": years,
        "total_hours": total,
        "charities": len({row["charity"] for row in rows}),
        "first": rows[0]["first"] if rows else None,
        "last": max(row["last"] for row in rows) if rows else None,
    }
