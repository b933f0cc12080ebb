"""An agreed match under way: started by the first time logged, given more days, closed by
both sides (or a broker) and so completed. Who may do each is `brokerage.access.matches`; the
lock order is the one `services.matches` states (offer, need, match)."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from brokerage import access
from brokerage.errors import InvalidInput, InvalidTransition
from brokerage.models import Match, MatchEvent, MatchStatus, Notification, Side, TimeEntry, User
from brokerage.services.assignments import release
from brokerage.services.matches import acting_sides, lock_match, notify_parties, record_event
from brokerage.wording import quantity

Action = MatchEvent.Action


def start_delivery(match: Match, *, by: User, side: str) -> None:
    """The first time logged on an accepted (locked) match: it is now in progress."""
    if match.status == MatchStatus.ACCEPTED:
        match.status = MatchStatus.IN_PROGRESS
        match.save(update_fields=["status", "updated_at"])
        record_event(
            match, action=Action.STARTED, by=by, side=side, from_status=MatchStatus.ACCEPTED
        )


@transaction.atomic
def close_match(*, match: Match, by: User) -> Match:
    """One side says the work is done. The match is completed once both sides have (or a
    broker, for both) and no time waits for an answer; then leave still booked on it goes back
    to the volunteers. A side may close while time still waits: its close is kept, everyone
    is told what is left and by whom (`still_to_settle`), and the match completes when the
    last entry is settled (`complete_if_settled`)."""
    match = lock_match(match)
    if match.status != MatchStatus.IN_PROGRESS:
        raise InvalidTransition(
            "Only a match under way (with time logged) can be closed; "
            f"this one is {match.get_status_display().lower()}."
        )
    sides = acting_sides(by, match)
    if not access.may_close(match, sides):
        raise InvalidTransition("Your side has already closed this match.")
    for side in access.closing_sides(sides):
        setattr(match, access.CLOSED_FLAG[side], True)
    match.save(update_fields=["closed_by_business", "closed_by_vcs", "updated_at"])
    left = still_to_settle(match)
    if left:
        notify_parties(
            match,
            Notification.Kind.MATCH_CLOSING,
            f"{by_name(match, sides)} closed its side of '{match.offer}' for '{match.need}'. "
            f"{left} The match completes once they are settled.",
            by,
        )
    elif match.closed_by_business and match.closed_by_vcs:
        _complete(match, by=by, side=access.acting_side(sides))
    return match


def still_to_settle(match: Match) -> str:
    """What time on the match still waits, and for whom, in a sentence; empty when none."""
    waiting = dict(
        match.time.filter(status__in=TimeEntry.WAITING)
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    parts = []
    if pending := waiting.get(TimeEntry.Status.PENDING):
        parts.append(
            f"{quantity(pending, 'time entry', 'time entries')} "
            f"{'waits' if pending == 1 else 'wait'} for {match.need.organisation} to confirm"
        )
    if queried := waiting.get(TimeEntry.Status.QUERIED):
        parts.append(
            f"{quantity(queried, 'queried time entry', 'queried time entries')} "
            f"{'waits' if queried == 1 else 'wait'} for {match.offer.organisation} to answer"
        )
    return f"{' and '.join(parts)}." if parts else ""


def complete_if_settled(match: Match, *, by: User) -> None:
    """After time on a (locked) match is settled: complete it if both sides have closed and
    nothing waits any more."""
    if (
        match.status == MatchStatus.IN_PROGRESS
        and match.closed_by_business
        and match.closed_by_vcs
        and not match.time.filter(status__in=TimeEntry.WAITING).exists()
    ):
        _complete(match, by=by, side=access.acting_side(acting_sides(by, match)))


def by_name(match: Match, sides: frozenset[Side]) -> str:
    """Who closed, as the other side reads it: an organisation, or the council's brokers."""
    if sides == {Side.BUSINESS}:
        return str(match.offer.organisation)
    if sides == {Side.VCS}:
        return str(match.need.organisation)
    return "The council's brokers"


def _complete(match: Match, *, by: User, side: str) -> None:
    match.status = MatchStatus.COMPLETED
    match.completed_at = timezone.now()
    match.save()
    for assignment in match.assignments.select_for_update().filter(status="booked"):
        release(assignment, by=by)
    record_event(
        match, action=Action.COMPLETED, by=by, side=side, from_status=MatchStatus.IN_PROGRESS
    )
    notify_parties(
        match,
        Notification.Kind.MATCH_COMPLETED,
        f"Completed: '{match.offer}' for '{match.need}'. Tell us how it went.",
        by,
    )


MAX_EXTENSION_DAYS = 60  # one extension at a time; more is a new match


@transaction.atomic
def extend_match(*, match: Match, days: int, by: User, note: str = "") -> Match:
    """Give an agreed match more days when the work takes longer than planned, so more time
    can be booked and confirmed. A broker extends at once; a side asks and the extension
    holds when the other side asks for the same days (agrees). Listings' reserved days are
    unchanged: the extension is the two sides' (or the council's) decision, in the history."""
    match = lock_match(match)
    if match.status not in (MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS):
        raise InvalidTransition(
            f"Only an agreed match under way can get more days; this one is "
            f"{match.get_status_display().lower()}."
        )
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            f"Between 1 and {MAX_EXTENSION_DAYS} more days.",
            fields={"days": [f"A whole number from 1 to {MAX_EXTENSION_DAYS}."]},
        )
    sides = acting_sides(by, match)
    if _holds_at_once(match, sides, days):
        _give_days(match, days=days, sides=sides, by=by, note=note)
    else:
        _ask_for_days(match, days=days, sides=sides, by=by, note=note)
    return match


def _holds_at_once(match: Match, sides: frozenset[Side], days: int) -> bool:
    """A broker or someone on both sides gives days at once (`access.extension_gives`); a side
    agreeing gives them only if it asks for the days the other side asked for."""
    if not access.extension_gives(match, sides):
        return False
    return not access.extension_agrees(match, sides) or match.extension_asked_days == days


def _give_days(match: Match, *, days: int, sides: frozenset[Side], by: User, note: str) -> None:
    match.extra_days += days
    match.extension_asked_days, match.extension_asked_by_side = None, ""
    match.save(
        update_fields=[
            "extra_days",
            "extension_asked_days",
            "extension_asked_by_side",
            "updated_at",
        ]
    )
    record_event(
        match,
        action=Action.EXTENDED,
        by=by,
        side=access.acting_side(sides),
        from_status=match.status,
        note=note or f"{days} more days; now {match.day_limit}.",
    )
    notify_parties(
        match,
        Notification.Kind.MATCH_EXTENDED,
        f"'{match.offer}' for '{match.need}' now has {quantity(match.day_limit, 'day')} "
        f"({days} more).",
        by,
    )


def _ask_for_days(match: Match, *, days: int, sides: frozenset[Side], by: User, note: str) -> None:
    """One side asks for more days (or asks for a different number than the other side did);
    the other side agrees by asking for the same."""
    (side,) = sides
    if match.extension_asked_by_side == side and match.extension_asked_days == days:
        raise InvalidTransition("Your side has already asked for these days.")
    match.extension_asked_days, match.extension_asked_by_side = days, side
    match.save(update_fields=["extension_asked_days", "extension_asked_by_side", "updated_at"])
    record_event(
        match,
        action=Action.EXTENSION_ASKED,
        by=by,
        side=side,
        from_status=match.status,
        note=note or f"{days} more days asked.",
    )
    notify_parties(
        match,
        Notification.Kind.MATCH_EXTENDED,
        f"{days} more days asked on '{match.offer}' for '{match.need}'; the other side "
        "agrees by asking for the same.",
        by,
    )
