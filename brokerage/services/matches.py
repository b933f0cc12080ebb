"""The match lifecycle: propose → accepted (both sides) → in progress → completed,
with declined and cancelled as ends (see `brokerage.models.matches.TRANSITIONS`).

Capacity rule: the days of a listing's reserving matches (accepted, in progress, completed)
never exceed its capacity. Days are reserved when the second side accepts, inside a
transaction that locks the offer, then the need, then the match (always in that order, so
two transactions never wait on each other), and the database checks
`days_reserved <= capacity` as the last guard.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from brokerage import access, matchmaking
from brokerage.errors import (
    CapacityExceeded,
    DuplicateMatch,
    IncompatiblePair,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotVerified,
)
from brokerage.messaging import outbox
from brokerage.models import (
    ListingStatus,
    Match,
    MatchEvent,
    MatchStatus,
    Need,
    Notification,
    Offer,
    Side,
    TimeEntry,
    User,
)
from brokerage.models.matches import OPEN_STATUSES
from brokerage.services.assignments import release

Action = MatchEvent.Action
_ACCEPTED_ACTION = {Side.BUSINESS: Action.ACCEPTED_BY_BUSINESS, Side.VCS: Action.ACCEPTED_BY_VCS}


def _record(
    match: Match, *, action: str, by: User, side: str, from_status: str, note: str = ""
) -> MatchEvent:
    return MatchEvent.objects.create(
        match=match,
        action=action,
        actor=by,
        actor_side=side,
        from_status=from_status,
        to_status=match.status,
        note=note,
    )


def _notify(match: Match, kind: str, text: str, by: User) -> None:
    """Both sides' members and the brokers hear of every transition (not the actor)."""
    outbox.notify(
        recipients=[
            *outbox.members(match.offer.organisation, match.need.organisation),
            *outbox.brokers(),
        ],
        kind=kind,
        text=text,
        subject=match,
        exclude=by,
    )


def _lock(match: Match) -> Match:
    """Lock the offer, the need and the match, in that order; a fresh match holding both."""
    offer = Offer.objects.select_for_update().get(pk=match.offer_id)
    need = Need.objects.select_for_update().get(pk=match.need_id)
    locked = Match.objects.select_for_update().get(pk=match.pk)
    locked.offer, locked.need = offer, need
    return locked


def _party_sides(by: User, match: Match) -> frozenset[Side]:
    """The sides the user may act for (`access.party_sides`); nobody else acts on a match."""
    sides = access.party_sides(by, match)
    if not sides:
        raise NotAllowed(
            "Only the business, the charity or community group, or a broker can do this."
        )
    return sides


def _check_pair(offer: Offer, need: Need, days: int) -> None:
    """The rules an offer and a need must meet to be matched for `days`."""
    for listing in (offer, need):
        if not listing.organisation.is_verified:
            raise NotVerified(f"{listing.organisation} has not been verified by a broker yet.")
        if listing.status != ListingStatus.OPEN:
            raise InvalidTransition(
                f"'{listing}' is {listing.get_status_display().lower()}, not open."
            )
    today = timezone.localdate()
    if offer.available_until < today:
        raise IncompatiblePair(f"'{offer}' was only available until {offer.available_until}.")
    if need.needed_by < today:
        raise IncompatiblePair(f"'{need}' was needed by {need.needed_by}.")
    if offer.available_from > need.needed_by:
        raise IncompatiblePair(
            f"'{offer}' starts on {offer.available_from}, after '{need}' is needed "
            f"({need.needed_by})."
        )
    both_remote = offer.remote_ok and need.remote_ok
    serves_need_ward = not offer.wards.exists() or offer.wards.filter(pk=need.ward_id).exists()
    if not both_remote and not serves_need_ward:
        raise IncompatiblePair(f"'{offer}' does not serve {need.ward} and the help is not remote.")
    if days < 1:
        raise InvalidInput("A match is for at least one day.", fields={"days": ["Must be ≥ 1."]})
    _check_capacity(offer, need, days)


def _check_capacity(offer: Offer, need: Need, days: int) -> None:
    for listing, word in ((offer, "offer"), (need, "need")):
        if days > listing.days_remaining:
            raise CapacityExceeded(
                f"The {word} '{listing}' has {listing.days_remaining} of "
                f"{listing.capacity_days} days left; {days} asked.",
                fields={"days": [f"At most {listing.days_remaining}."]},
            )


def _change_reserved(offer: Offer, need: Need, days: int) -> None:
    """Add (or, with negative days, free) reserved days; statuses follow capacity."""
    for listing in (offer, need):
        listing.days_reserved += days
        listing.sync_status_with_capacity()
        listing.save(update_fields=["days_reserved", "status", "updated_at"])


def _confirm(match: Match, *, by: User, side: str) -> None:
    """Both sides have accepted: reserve the days (locks already held)."""
    _check_pair(match.offer, match.need, match.days)
    _change_reserved(match.offer, match.need, match.days)
    from_status = match.status
    match.status = MatchStatus.ACCEPTED
    match.accepted_at = timezone.now()
    match.save()
    _record(match, action=Action.ACCEPTED, by=by, side=side, from_status=from_status)
    _notify(
        match,
        Notification.Kind.MATCH_ACCEPTED,
        f"Agreed: {match.days} days of '{match.offer}' for '{match.need}'.",
        by,
    )


@transaction.atomic
def propose_match(
    *,
    offer: Offer,
    need: Need,
    days: int | None = None,
    by: User,
    score: float | None = None,
    score_parts: dict | None = None,
    note: str = "",
) -> Match:
    """Propose pairing `offer` with `need` for `days` volunteer-days (by default
    `access.days_to_propose`: what the need still needs, as far as the offer has it).

    A member of the business (offering help), of the VCS organisation (asking for help) or a
    broker may propose; the proposer's own side counts as accepted. Both listings must be
    open, of verified organisations, compatible in dates and wards, with the days left, and
    the pair must have no other proposed, accepted or in-progress match.
    """
    if score is None:  # a snapshot of what the engine thinks of this pair now
        score, score_parts = matchmaking.pair_score(offer, need) or (None, {})
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=offer.pk)
    )
    need = (
        Need.objects.select_for_update(of=("self",))
        .select_related("organisation", "ward")
        .get(pk=need.pk)
    )
    if days is None:
        days = access.days_to_propose(offer.days_remaining, need.days_remaining)
    match = Match(offer=offer, need=need, days=days, score=score, score_parts=score_parts or {})
    sides = _party_sides(by, match)
    if Match.objects.filter(offer=offer, need=need, status__in=OPEN_STATUSES).exists():
        raise DuplicateMatch(f"'{offer}' and '{need}' already have an open match.")
    _check_pair(offer, need, days)

    match.proposed_by = by
    match.proposed_by_side = access.acting_side(sides)
    match.accepted_by_business = Side.BUSINESS in sides
    match.accepted_by_vcs = Side.VCS in sides
    match.note = note
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError as error:  # a concurrent proposal for the same pair won
        raise DuplicateMatch(f"'{offer}' and '{need}' already have an open match.") from error
    _record(match, action=Action.PROPOSED, by=by, side=match.proposed_by_side, from_status="")
    _notify(
        match,
        Notification.Kind.MATCH_PROPOSED,
        f"{match.days} days proposed: '{offer}' ({offer.organisation}) for '{need}' "
        f"({need.organisation}).",
        by,
    )
    if match.accepted_by_business and match.accepted_by_vcs:
        _confirm(match, by=by, side=match.proposed_by_side)
    return match


@transaction.atomic
def accept_match(*, match: Match, by: User, side: Side | None = None) -> Match:
    """Accept a proposed match for the side(s) the user belongs to.

    A broker who belongs to neither side may accept on a side's behalf (e.g. after a phone
    call) by naming `side`. When both sides have accepted, the days are reserved; if the
    offer or the need no longer has them, nothing changes and `CapacityExceeded` is raised.
    """
    match = _lock(match)
    if match.status != MatchStatus.PROPOSED:
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    member_sides = _party_sides(by, match)
    acts_as_broker = member_sides == {Side.BROKER}
    if side is None and acts_as_broker:
        raise InvalidInput(
            "Say which side you are accepting for.", fields={"side": ["Choose business or vcs."]}
        )
    if side is not None and (
        side not in access.PARTIES or not (acts_as_broker or side in member_sides)
    ):
        raise NotAllowed(f"You cannot accept for the {side} side.")
    sides = {side} if side is not None else member_sides
    pending = sorted(s for s in sides if not getattr(match, access.ACCEPTED_FLAG[s]))
    if not pending or not access.may_accept(match, sides):
        raise InvalidTransition("Your side has already accepted; the other side has not yet.")
    for accepted_side in pending:
        setattr(match, access.ACCEPTED_FLAG[accepted_side], True)
        _record(
            match,
            action=_ACCEPTED_ACTION[accepted_side],
            by=by,
            side=Side.BROKER if acts_as_broker else accepted_side,
            from_status=match.status,
        )
    if match.accepted_by_business and match.accepted_by_vcs:
        _confirm(match, by=by, side=Side.BROKER if acts_as_broker else pending[-1])
    else:
        match.save(update_fields=["accepted_by_business", "accepted_by_vcs", "updated_at"])
    return match


@transaction.atomic
def decline_match(*, match: Match, by: User, note: str = "") -> Match:
    """The side being asked (or a broker) turns a proposal down; a proposer cancels instead."""
    match = _lock(match)
    if not match.can_become(MatchStatus.DECLINED):
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    sides = _party_sides(by, match)
    if not access.may_decline(match, sides):
        raise NotAllowed("Your side proposed or accepted this match; cancel it instead.")
    acting_side = access.acting_side(sides & (access.asked_sides(match) | {Side.BROKER}))
    from_status = match.status
    match.status = MatchStatus.DECLINED
    match.save(update_fields=["status", "updated_at"])
    _record(
        match, action=Action.DECLINED, by=by, side=acting_side, from_status=from_status, note=note
    )
    _notify(
        match,
        Notification.Kind.MATCH_DECLINED,
        f"Declined: '{match.offer}' for '{match.need}'." + (f" {note}" if note else ""),
        by,
    )
    return match


@transaction.atomic
def cancel_match(*, match: Match, by: User, note: str = "") -> Match:
    """Either side or a broker calls a match off; days it held go back to the offer and need."""
    match = _lock(match)
    if not match.can_become(MatchStatus.CANCELLED):
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    sides = _party_sides(by, match)
    if not access.may_cancel(match, sides):
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    _cancel(match, by=by, side=access.acting_side(sides), note=note)
    return match


def _cancel(match: Match, *, by: User, side: str, note: str) -> None:
    """Cancel a locked match, freeing its days if it held any."""
    if match.reserves_days:
        _change_reserved(match.offer, match.need, -match.days)
    from_status = match.status
    match.status = MatchStatus.CANCELLED
    match.save(update_fields=["status", "updated_at"])
    _record(match, action=Action.CANCELLED, by=by, side=side, from_status=from_status, note=note)
    _notify(
        match,
        Notification.Kind.MATCH_CANCELLED,
        f"Cancelled: '{match.offer}' for '{match.need}'." + (f" {note}" if note else ""),
        by,
    )


def cancel_proposals(*, listing: Offer | Need, by: User, side: str, note: str) -> int:
    """Cancel the proposals still waiting on a listing that is closing (caller holds its lock)."""
    matches = listing.matches.select_for_update().filter(status=MatchStatus.PROPOSED)
    count = 0
    for match in matches:
        _cancel(match, by=by, side=side, note=note)
        count += 1
    return count


def start_delivery(match: Match, *, by: User, side: str) -> None:
    """The first time logged on an accepted (locked) match: it is now in progress."""
    if match.status == MatchStatus.ACCEPTED:
        match.status = MatchStatus.IN_PROGRESS
        match.save(update_fields=["status", "updated_at"])
        _record(match, action=Action.STARTED, by=by, side=side, from_status=MatchStatus.ACCEPTED)


@transaction.atomic
def close_match(*, match: Match, by: User) -> Match:
    """One side says the work is done; when both have (or a broker, for both), the match is
    completed and leave still booked on it goes back to the volunteers. Time still waiting
    for confirmation must be settled first."""
    match = _lock(match)
    if match.status != MatchStatus.IN_PROGRESS:
        raise InvalidTransition(
            "Only a match under way (with time logged) can be closed; "
            f"this one is {match.get_status_display().lower()}."
        )
    waiting = match.time.filter(status__in=TimeEntry.WAITING)
    if waiting.exists():
        raise InvalidTransition(
            f"{waiting.count()} time entries still wait for confirmation or an answer to a "
            "query; settle them first."
        )
    sides = _party_sides(by, match)
    if not access.may_close(match, sides):
        raise InvalidTransition("Your side has already closed this match.")
    for side in access.closing_sides(sides):
        setattr(match, access.CLOSED_FLAG[side], True)
    if not (match.closed_by_business and match.closed_by_vcs):
        match.save(update_fields=["closed_by_business", "closed_by_vcs", "updated_at"])
        return match
    match.status = MatchStatus.COMPLETED
    match.completed_at = timezone.now()
    match.save()
    for assignment in match.assignments.select_for_update().filter(status="booked"):
        release(assignment, by=by)
    side = access.acting_side(sides)
    _record(match, action=Action.COMPLETED, by=by, side=side, from_status=MatchStatus.IN_PROGRESS)
    _notify(
        match,
        Notification.Kind.MATCH_COMPLETED,
        f"Completed: '{match.offer}' for '{match.need}'. Tell us how it went.",
        by,
    )
    return match


MAX_EXTENSION_DAYS = 60  # one extension at a time; more is a new match


@transaction.atomic
def extend_match(*, match: Match, days: int, by: User, note: str = "") -> Match:
    """Give an agreed match more days when the work takes longer than planned, so more time
    can be booked and confirmed. A broker extends at once; a side asks and the extension
    holds when the other side asks for the same days (agrees). Listings' reserved days are
    unchanged: the extension is the two sides' (or the council's) decision, in the history."""
    match = _lock(match)
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
    sides = _party_sides(by, match)
    asked_by = match.extension_asked_by_side
    if access.extension_gives(match, sides) and (
        not access.extension_agrees(match, sides) or match.extension_asked_days == days
    ):
        side = access.acting_side(sides)  # a broker, both sides, or agreeing to what was asked
    else:
        (side,) = sides
        if asked_by == side and match.extension_asked_days == days:
            raise InvalidTransition("Your side has already asked for these days.")
        match.extension_asked_days, match.extension_asked_by_side = days, side
        match.save(update_fields=["extension_asked_days", "extension_asked_by_side", "updated_at"])
        _record(
            match,
            action=Action.EXTENSION_ASKED,
            by=by,
            side=side,
            from_status=match.status,
            note=note or f"{days} more days asked.",
        )
        _notify(
            match,
            Notification.Kind.MATCH_EXTENDED,
            f"{days} more days asked on '{match.offer}' for '{match.need}'; the other side "
            "agrees by asking for the same.",
            by,
        )
        return match
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
    _record(
        match,
        action=Action.EXTENDED,
        by=by,
        side=side,
        from_status=match.status,
        note=note or f"{days} more days; now {match.day_limit}.",
    )
    _notify(
        match,
        Notification.Kind.MATCH_EXTENDED,
        f"'{match.offer}' for '{match.need}' now has {match.day_limit} days ({days} more).",
        by,
    )
    return match
