"""Who may do what on a match, and what its page offers them.

The rules are functions of the match and the sides a person acts for (`party_sides`), so the
services (which hold the match locked) and `MatchAffordances` (what a page or an API client
is offered, built once per request) answer every question the same way. The services add the
checks that depend on data rather than standing: days left, hours still waiting, dates.
"""

from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

from brokerage.access.people import is_admin_of, is_broker
from brokerage.models import (
    Assignment,
    LeavePolicy,
    Match,
    MatchStatus,
    Membership,
    Side,
    TimeEntry,
    User,
    Volunteer,
)

# Statuses in which an agreed match is delivered: volunteers booked, time logged, more days.
DELIVERING = (MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS)
PARTIES = (Side.BUSINESS, Side.VCS)
ACCEPTED_FLAG = {Side.BUSINESS: "accepted_by_business", Side.VCS: "accepted_by_vcs"}
CLOSED_FLAG = {Side.BUSINESS: "closed_by_business", Side.VCS: "closed_by_vcs"}
# When a person acts for more than one side, the side their act is recorded under: a broker
# acting as broker; someone on both sides speaks for the business, the side giving the help
# (a business that also runs a charity arm proposes its own help).
SIDE_ORDER = (Side.BROKER, Side.BUSINESS, Side.VCS)


def sides_of(user: User, match: Match) -> frozenset[Side]:
    """The sides of `match` the user belongs to: business, VCS, either or both (never broker)."""
    if not user.is_authenticated:
        return frozenset()
    org_ids = set(
        Membership.objects.filter(
            user=user, organisation_id__in=[match.offer.organisation_id, match.need.organisation_id]
        ).values_list("organisation_id", flat=True)
    )
    sides = set()
    if match.offer.organisation_id in org_ids:
        sides.add(Side.BUSINESS)
    if match.need.organisation_id in org_ids:
        sides.add(Side.VCS)
    return frozenset(sides)


def party_sides(user: User, match: Match) -> frozenset[Side]:
    """The sides the user may act for: their own sides, or {broker} for a broker on neither
    side, or none at all (an outsider)."""
    sides = sides_of(user, match)
    if not sides and is_broker(user, match):
        return frozenset({Side.BROKER})
    return sides


def acting_side(sides: Collection[Side]) -> Side:
    """The one side an act is recorded under (`SIDE_ORDER`)."""
    return next(side for side in SIDE_ORDER if side in sides)


def days_to_propose(offer_days_left: int, need_days_left: int) -> int:
    """The days a proposal takes when the proposer does not say: all the need still needs, as
    far as the offer has them (at least one, so the capacity check explains a full listing)."""
    return max(1, min(offer_days_left, need_days_left))


def may_accept(match: Match, sides: Collection[Side]) -> bool:
    """A proposal is accepted by a side that has not accepted yet, or by a broker (naming the
    side they speak for)."""
    if match.status != MatchStatus.PROPOSED or not sides:
        return False
    return Side.BROKER in sides or any(not getattr(match, ACCEPTED_FLAG[s]) for s in sides)


def may_decline(match: Match, sides: Collection[Side]) -> bool:
    """The side being asked, or a broker, turns a proposal down; a side that proposed or
    accepted cancels instead."""
    if not match.can_become(MatchStatus.DECLINED):
        return False
    return Side.BROKER in sides or bool(asked_sides(match) & set(sides))


def asked_sides(match: Match) -> set[Side]:
    """The sides a proposal still waits on."""
    return {s for s, flag in ACCEPTED_FLAG.items() if not getattr(match, flag)}


def may_cancel(match: Match, sides: Collection[Side]) -> bool:
    """Either side or a broker calls a match off while it is open."""
    return bool(sides) and match.can_become(MatchStatus.CANCELLED)


def closing_sides(sides: Collection[Side]) -> set[Side]:
    """The sides a close counts for: a broker closes for both."""
    return set(PARTIES) if set(sides) == {Side.BROKER} else set(sides) & set(PARTIES)


def may_close(match: Match, sides: Collection[Side]) -> bool:
    """A match under way is closed by each side (a broker for both) once, until both have."""
    if match.status != MatchStatus.IN_PROGRESS or not sides:
        return False
    return any(not getattr(match, CLOSED_FLAG[s]) for s in closing_sides(sides))


def may_extend(match: Match, sides: Collection[Side]) -> bool:
    """Either side or a broker asks for (or gives) more days on an agreed match under way."""
    return bool(sides) and match.status in DELIVERING


def extension_agrees(match: Match, sides: Collection[Side]) -> bool:
    """Whether asking now agrees to the other side's request (so the days are given)."""
    asked = match.extension_asked_by_side
    return bool(asked) and asked not in sides and Side.BROKER not in sides


def extension_gives(match: Match, sides: Collection[Side]) -> bool:
    """Whether this person's extension holds at once: a broker, someone on both sides, or the
    side agreeing to what the other asked. Everyone else asks."""
    both = set(sides) in ({Side.BROKER}, set(PARTIES))
    return both or extension_agrees(match, sides)


def may_give_feedback(match: Match, sides: Collection[Side], given: Collection[str]) -> bool:
    """Each side (not a broker) rates a completed match once."""
    return match.status == MatchStatus.COMPLETED and bool(set(sides) & set(PARTIES) - set(given))


def may_review_time(match: Match, sides: Collection[Side]) -> bool:
    """Only the charity confirms or queries the time given to it."""
    return Side.VCS in sides


@dataclass(frozen=True)
class MatchAffordances:
    """What one person may do on one match, decided once per request from the rules above;
    pages and templates read these flags, never statuses. What needs the database (whether
    they broker or administer the business, whom they may book) is asked the first time a
    flag needs it and kept for the request, so a page asks only what it shows."""

    user: User
    match: Match
    sides: frozenset[Side]  # the sides they belong to (empty for a broker on neither side)

    @cached_property
    def is_broker(self) -> bool:
        return is_broker(self.user, self.match)

    @cached_property
    def acting(self) -> frozenset[Side]:
        """The sides they act for (`party_sides`)."""
        return self.sides or (frozenset({Side.BROKER}) if self.is_broker else frozenset())

    @cached_property
    def administers_business(self) -> bool:
        """`can_administer` the business giving the help."""
        business = self.match.offer.organisation
        return (Side.BUSINESS in self.sides and is_admin_of(self.user, business)) or self.is_broker

    @cached_property
    def has_volunteers(self) -> bool:
        """Whether there is anyone they may book or log time for on this match."""
        if not (self.delivering and self.user.is_authenticated):
            return False
        business = self.match.offer.organisation
        volunteers = Volunteer.objects.filter(organisation=business, is_active=True)
        if not self.administers_business:
            volunteers = volunteers.filter(user_id=self.user.pk)
        return volunteers.exists()

    @cached_property
    def volunteers_sign_up(self) -> bool:
        """The business lets its volunteers book themselves (read only for a volunteer who
        does not administer it)."""
        if not self.delivering or Side.BUSINESS not in self.sides or self.administers_business:
            return False
        business = self.match.offer.organisation
        return LeavePolicy.objects.filter(organisation=business, volunteers_sign_up=True).exists()

    @cached_property
    def given_feedback(self) -> frozenset[str]:
        """The sides that rated the match (only a completed match is rated)."""
        if self.match.status != MatchStatus.COMPLETED:
            return frozenset()
        return frozenset(self.match.feedback.values_list("side", flat=True))

    @property
    def on_business_side(self) -> bool:
        return Side.BUSINESS in self.sides

    @property
    def on_vcs_side(self) -> bool:
        return Side.VCS in self.sides

    @property
    def agreed(self) -> bool:
        """Both sides agreed: contacts, dates and delivery are shown."""
        return self.match.status in (*DELIVERING, MatchStatus.COMPLETED)

    @property
    def delivering(self) -> bool:
        return self.match.status in DELIVERING

    @property
    def can_answer(self) -> bool:
        """The page's Accept and Decline: for a side the proposal still waits on (a broker
        answers for a side through the API, naming it)."""
        return bool(self.sides) and may_accept(self.match, self.sides)

    @property
    def can_accept(self) -> bool:
        return may_accept(self.match, self.acting)

    @property
    def can_decline(self) -> bool:
        return may_decline(self.match, self.acting)

    @property
    def can_cancel(self) -> bool:
        return may_cancel(self.match, self.acting)

    @property
    def can_close(self) -> bool:
        return may_close(self.match, self.acting)

    @property
    def can_extend(self) -> bool:
        return may_extend(self.match, self.acting)

    @property
    def extension_gives(self) -> bool:
        return extension_gives(self.match, self.acting)

    @property
    def extension_agrees(self) -> bool:
        return extension_agrees(self.match, self.acting)

    @property
    def can_book(self) -> bool:
        """The booking form (`people.can_book`): the business's administrators and brokers, or a
        volunteer for themself where the business lets volunteers sign up, while the match is
        delivered and there is someone to book."""
        books = self.administers_business or self.volunteers_sign_up
        return self.delivering and self.has_volunteers and books

    @property
    def can_log(self) -> bool:
        """The page's logging form: a volunteer for themself, an administrator for any of the
        business's volunteers."""
        return self.delivering and self.has_volunteers

    @property
    def can_review_time(self) -> bool:
        return may_review_time(self.match, self.sides)

    @property
    def can_give_feedback(self) -> bool:
        return may_give_feedback(self.match, self.sides, self.given_feedback)

    @property
    def can_value(self) -> bool:
        """Brokers set the measure the time counts under and the contract it counts towards."""
        return self.is_broker

    def may_act_for(self, volunteer: Volunteer) -> bool:
        """`can_act_for_volunteer`, known without a query for the business's own volunteers."""
        if volunteer.organisation_id != self.match.offer.organisation_id:
            return False
        return volunteer.user_id == self.user.pk or self.administers_business

    def may_amend(self, entry: TimeEntry) -> bool:
        """Change or withdraw time still waiting (pending or queried): whoever logs it."""
        return entry.status in TimeEntry.WAITING and self.may_act_for(entry.volunteer)

    def may_review(self, entry: TimeEntry) -> bool:
        """Confirm or query an entry: the charity, while it waits for confirmation."""
        return self.can_review_time and entry.status == TimeEntry.Status.PENDING

    def may_cancel_booking(self, booking: Assignment) -> bool:
        """Take a volunteer off the match: as for booking them (`people.can_book`)."""
        own = booking.volunteer.user_id == self.user.pk and self.volunteers_sign_up
        return booking.status == Assignment.Status.BOOKED and (self.administers_business or own)


def match_affordances(user: User, match: Match) -> MatchAffordances:
    """Everything `user` may do on `match`: their sides are read now, the rest when asked."""
    return MatchAffordances(user=user, match=match, sides=sides_of(user, match))
