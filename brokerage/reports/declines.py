"""Why proposals were turned down: the declined matches in a scope, counted by the reason
the declining side chose (`DeclineReason`; "Not said" for declines made without one)."""

from django.db.models import Count, Q

from brokerage import access
from brokerage.models import DeclineReason, Match, MatchStatus
from brokerage.reports.summary import Scope

NOT_SAID = "Not said"


def declines_by_reason(scope: Scope) -> list[dict]:
    """[{"reason": label, "declined": n}], most frequent first, for the scope's matches (an
    organisation's on either side, or those in its areas) declined in its period."""
    declined = Match.objects.filter(status=MatchStatus.DECLINED)
    if scope.organisation is not None:
        org = scope.organisation
        declined = declined.filter(Q(offer__organisation=org) | Q(need__organisation=org))
    elif scope.areas is not None:
        declined = declined.filter(access.in_areas(Match, scope.areas))
    if scope.date_from is not None:
        declined = declined.filter(updated_at__date__gte=scope.date_from)
    if scope.date_to is not None:
        declined = declined.filter(updated_at__date__lte=scope.date_to)
    counts = (
        declined.values("decline_reason").annotate(n=Count("id")).order_by("-n", "decline_reason")
    )
    labels = dict(DeclineReason.choices)
    return [
        {"reason": labels.get(row["decline_reason"], NOT_SAID), "declined": row["n"]}
        for row in counts
    ]
