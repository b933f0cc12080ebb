"""A volunteer's view of the market: open needs that ask for their skills, and their
business's volunteers' interest in needs."""

from django.db.models import Count, QuerySet

from brokerage.models import (
    Interest,
    ListingStatus,
    Need,
    Organisation,
    Volunteer,
)


def needs_fitting(volunteer: Volunteer, *, limit: int = 20) -> list[dict]:
    """Open needs that ask for a skill this volunteer has, most shared skills first, with
    the plain reasons (which of their skills it needs; essential or nice to have)."""
    mine = set(volunteer.skills.values_list("pk", flat=True))
    if not mine:
        return []
    # The count and the top `limit` in SQL: the join is filtered to the volunteer's skills, so
    # counting its rows counts the shared ones (a market of 10k needs loaded them all before).
    needs = (
        Need.objects.filter(status=ListingStatus.OPEN, need_skills__skill__in=mine)
        .annotate(shared=Count("need_skills"))
        .select_related("organisation", "ward")
        .prefetch_related("need_skills__skill")
        .order_by("-shared", "needed_by", "id")[:limit]
    )
    found = []
    for need in needs:
        shared = [row for row in need.need_skills.all() if row.skill_id in mine]
        found.append(
            {
                "need": need,
                "shared": need.shared,
                "reasons": [
                    f"needs {row.skill.name}, which you have"
                    + ("" if row.must_have else " (nice to have)")
                    for row in shared
                ],
            }
        )
    return found


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
