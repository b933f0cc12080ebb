"""The match lifecycle up to agreement: propose → accepted (both sides), with declined and
cancelled as ends (see `brokerage.models.matches.TRANSITIONS`); an agreed match under way
(started, more days, closed, completed) is `match_delivery`. The helpers without an
underscore (`lock_match`, `acting_sides`, `record_event`, `notify_parties`) are shared with it.

Capacity rule: the days of a listing's reserving matches (accepted, in progress, completed)
never exceed its capacity. Days are reserved when the second side accepts, inside a
transaction that locks the offer, then the need, then the match (always in that order, so
two transactions never wait on each other), and the database checks
`days_reserved <= capacity` as the last guard.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from brokerage import access, matchmaking, response_times
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
    DeclineReason,
    ListingStatus,
    Match,
    MatchEvent,
    MatchStatus,
    Need,
    Notification,
    Offer,
    Side,
    User,
)
from brokerage.models.matches import OPEN_STATUSES
from brokerage.wording import quantity, within

Action = MatchEvent.Action
_ACCEPTED_ACTION = {Side.BUSINESS: Action.ACCEPTED_BY_BUSINESS, Side.VCS: Action.ACCEPTED_BY_VCS}


def record_event(
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


def notify_parties(match: Match, kind: str, text: str, by: User) -> None:
    """Both sides' members and the brokers hear of every transition (not the actor)."""
    outbox.notify(
        recipients=[
            *outbox.members(match.offer.organisation, match.need.organisation),
            *outbox.brokers(match),
        ],
        kind=kind,
        text=text,
        subject=match,
        exclude=by,
    )


def lock_match(match: Match) -> Match:
    """Lock the offer, the need and the match, in that order; a fresh match holding both."""
    offer = Offer.objects.select_for_update().get(pk=match.offer_id)
    need = Need.objects.select_for_update().get(pk=match.need_id)
    locked = Match.objects.select_for_update().get(pk=match.pk)
    locked.offer, locked.need = offer, need
    return locked


def acting_sides(by: User, match: Match) -> frozenset[Side]:
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


def _check_preferred_dates(
    offer: Offer, need: Need, first: dt.date | None, last: dt.date | None
) -> None:
    """Preferred dates, when given, are in order and inside the window both listings allow:
    from today and the offer's first day, to the offer's last day and the need's."""
    if first is None and last is None:
        return
    opens = max(timezone.localdate(), offer.available_from)
    closes = min(offer.available_until, need.needed_by)
    window = f"between {opens:%-d %B %Y} and {closes:%-d %B %Y}"
    for field, day in (("preferred_from", first), ("preferred_until", last)):
        if day is not None and not opens <= day <= closes:
            message = f"Choose a date {window}, when both the offer and the request allow."
            raise InvalidInput(message, fields={field: [message]})
    if first is not None and last is not None and last < first:
        message = "The last preferred day must be on or after the first."
        raise InvalidInput(message, fields={"preferred_until": [message]})


def _check_capacity(offer: Offer, need: Need, days: int) -> None:
    for listing, word in ((offer, "offer"), (need, "need")):
        if days > listing.days_remaining:
            reason = (
                f"The {word} '{listing}' has {listing.days_remaining} of "
                f"{quantity(listing.capacity_days, 'day')} left; {days} asked."
            )
            left = listing.days_remaining
            raise CapacityExceeded(reason, fields={"days": [within(reason, left, "day")]})


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
    record_event(match, action=Action.ACCEPTED, by=by, side=side, from_status=from_status)
    notify_parties(
        match,
        Notification.Kind.MATCH_ACCEPTED,
        f"Agreed: {quantity(match.days, 'day')} of '{match.offer}' for '{match.need}'.",
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
    preferred_from: dt.date | None = None,
    preferred_until: dt.date | None = None,
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
    sides = acting_sides(by, match)
    if Match.objects.filter(offer=offer, need=need, status__in=OPEN_STATUSES).exists():
        raise DuplicateMatch(f"'{offer}' and '{need}' already have an open match.")
    _check_pair(offer, need, days)
    _check_preferred_dates(offer, need, preferred_from, preferred_until)

    match.preferred_from, match.preferred_until = preferred_from, preferred_until
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
    record_event(match, action=Action.PROPOSED, by=by, side=match.proposed_by_side, from_status="")
    notify_parties(
        match,
        Notification.Kind.MATCH_PROPOSED,
        f"{quantity(match.days, 'day')} proposed: '{offer}' ({offer.organisation}) for '{need}' "
        f"({need.organisation}). An answer is due by "
        f"{response_times.when(response_times.answer_by(match.created_at))}.",
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
    match = lock_match(match)
    if match.status != MatchStatus.PROPOSED:
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    member_sides = acting_sides(by, match)
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
        record_event(
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
def decline_match(*, match: Match, by: User, note: str = "", reason: str = "") -> Match:
    """The side being asked (or a broker) turns a proposal down, saying why (a
    `DeclineReason`; "other" needs a note); a proposer cancels instead. The reason is shown
    to the other side and counted in reports."""
    note = note.strip()
    if reason and reason not in DeclineReason.values:
        message = "Choose one of the reasons listed."
        raise InvalidInput(message, fields={"reason": [message]})
    if reason == DeclineReason.OTHER and not note:
        message = "Say what the other reason is."
        raise InvalidInput(message, fields={"note": [message]})
    match = lock_match(match)
    if not match.can_become(MatchStatus.DECLINED):
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    sides = acting_sides(by, match)
    if not access.may_decline(match, sides):
        raise NotAllowed("Your side proposed or accepted this match; cancel it instead.")
    acting_side = access.acting_side(sides & (access.asked_sides(match) | {Side.BROKER}))
    from_status = match.status
    match.status, match.decline_reason = MatchStatus.DECLINED, reason
    match.save(update_fields=["status", "decline_reason", "updated_at"])
    why = " ".join(
        part for part in (DeclineReason(reason).label + "." if reason else "", note) if part
    )
    record_event(
        match, action=Action.DECLINED, by=by, side=acting_side, from_status=from_status, note=why
    )
    notify_parties(
        match,
        Notification.Kind.MATCH_DECLINED,
        f"Declined: '{match.offer}' for '{match.need}'." + (f" {why}" if why else ""),
        by,
    )
    return match


@transaction.atomic
def cancel_match(*, match: Match, by: User, note: str = "") -> Match:
    """Either side or a broker calls a match off; days it held go back to the offer and need."""
    match = lock_match(match)
    if not match.can_become(MatchStatus.CANCELLED):
        raise InvalidTransition(f"This match is {match.get_status_display().lower()}.")
    sides = acting_sides(by, match)
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
    record_event(
        match, action=Action.CANCELLED, by=by, side=side, from_status=from_status, note=note
    )
    notify_parties(
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
