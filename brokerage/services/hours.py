"""Time given on a match: volunteers log it, the VCS organisation confirms or queries it.

Only confirmed time counts (reports, social value, credits). Time cannot exceed reality
(`_check_limits`): one volunteer logs at most MAX_HOURS_PER_VOLUNTEER_DAY on a calendar day
across all matches; a match holds at most its days (with extensions) × VOLUNTEER_DAY_HOURS
of live time; entries fall on or after the day the match was agreed and inside their
booking's dates. Checked under the match's and then the volunteer's row lock, so concurrent
logs cannot add up past a limit. Logging time with a leave type
uses that leave at once (the volunteer was away from work), taking first from what was
booked for the assignment; amending or withdrawing an entry gives the leave back.
"""

import copy
import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from brokerage import access
from brokerage.errors import CapacityExceeded, InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import outbox
from brokerage.models import (
    Assignment,
    Feedback,
    Match,
    MatchStatus,
    Notification,
    Side,
    TimeEntry,
    User,
    Volunteer,
)
from brokerage.models.volunteering import max_day_hours
from brokerage.services import leave, safeguarding, social_value
from brokerage.services._common import require_can_act_for_volunteer, validate
from brokerage.services.assignments import DELIVERING
from brokerage.services.match_delivery import complete_if_settled, start_delivery
from brokerage.wording import quantity, within


def _require_vcs_member(by: User, match: Match) -> None:
    if not access.is_member(by, match.need.organisation):
        raise NotAllowed(f"Only {match.need.organisation} confirms the time given to it.")


def _move(entry: TimeEntry, status: str) -> None:
    """Set a locked entry's status, if its lifecycle allows (`TimeEntry.TRANSITIONS`)."""
    if not entry.can_become(status):
        raise InvalidTransition(f"This entry is {entry.get_status_display().lower()}.")
    entry.status = status


def _check_date(day: dt.date) -> None:
    if day > timezone.localdate():
        raise InvalidInput(
            "Time is logged once it has been given.", fields={"date": ["Not in the future."]}
        )


def _hours(entries) -> Decimal:
    return entries.aggregate(total=Sum("hours"))["total"] or Decimal(0)


def _check_limits(entry: TimeEntry, match: Match) -> None:
    """The entry (new or changed, not yet saved) fits the match's life, its booking and the
    hour limits; the caller holds the match's and the volunteer's row locks."""
    if entry.date < match.starts_on:
        raise InvalidInput(
            f"Time is logged from {match.starts_on:%-d %B %Y}, when the match was agreed.",
            fields={"date": [f"On or after {match.starts_on:%-d %B %Y}."]},
        )
    booking = entry.assignment
    if booking is not None and not booking.first_day <= entry.date <= booking.last_day:
        raise InvalidInput(
            f"The booking runs from {booking.first_day:%-d %B} to {booking.last_day:%-d %B}.",
            fields={"date": ["Inside the booking's dates."]},
        )
    live = TimeEntry.objects.exclude(status=TimeEntry.Status.WITHDRAWN).exclude(pk=entry.pk)
    that_day = _hours(live.filter(volunteer_id=entry.volunteer_id, date=entry.date))
    cap = max_day_hours()
    if that_day + entry.hours > cap:
        reason = (
            f"{entry.volunteer} already has {quantity(that_day, 'hour')} logged on "
            f"{entry.date:%-d %B}; a volunteer gives at most {quantity(cap, 'hour')} a day."
        )
        raise CapacityExceeded(reason, fields={"hours": [within(reason, cap - that_day, "hour")]})
    _check_match_hours(match, _hours(live.filter(match=match)), entry.hours, "logged")


def _check_match_hours(match: Match, counted: Decimal, adding: Decimal, counted_as: str) -> None:
    """A match holds its days' hours (with extensions): refuse what would pass them, saying
    how many are already `counted_as` (logged, confirmed) and what is left."""
    if counted + adding <= match.hours_limit:
        return
    reason = (
        f"The match is for {quantity(match.day_limit, 'day')} "
        f"({quantity(match.hours_limit, 'hour')}) and {counted.normalize():f} are {counted_as}; "
        "a broker or both sides can give it more days."
    )
    left = match.hours_limit - counted
    raise CapacityExceeded(reason, fields={"hours": [within(reason, left, "hour")]})


def _lock_match(match_id: int) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("offer__organisation", "need__organisation")
        .get(pk=match_id)
    )


def _ask_to_confirm(entry: TimeEntry, match: Match, by: User) -> None:
    outbox.notify(
        recipients=outbox.members(match.need.organisation),
        kind=Notification.Kind.HOURS_TO_CONFIRM,
        text=(
            f"{entry.volunteer.user.get_full_name() or entry.volunteer.user.username} "
            f"({match.offer.organisation}) logged {quantity(entry.hours, 'hour')} on "
            f"{entry.date:%-d %B} for '{match.need}'. Please confirm them."
        ),
        subject=entry,
        exclude=by,
    )


def _lock_entry(entry: TimeEntry) -> TimeEntry:
    return (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related(
            "match__need__organisation",
            "match__offer__organisation",
            "volunteer__user",
            "volunteer__organisation",
        )
        .get(pk=entry.pk)
    )


@transaction.atomic
def log_time(
    *,
    match: Match,
    volunteer: Volunteer,
    date: dt.date,
    hours: Decimal,
    leave_type: str,
    description: str,
    by: User,
    assignment: Assignment | None = None,
) -> TimeEntry:
    """A volunteer (or their administrator, or a broker) logs time given on a match."""
    require_can_act_for_volunteer(by, volunteer, "log a volunteer's time")
    match = _lock_match(match.pk)
    if match.status not in DELIVERING:
        raise InvalidTransition(
            f"Time is logged on accepted matches; this one is {match.get_status_display().lower()}."
        )
    if volunteer.organisation_id != match.offer.organisation_id:
        raise InvalidInput(
            f"{volunteer} does not volunteer for {match.offer.organisation}.",
            fields={"volunteer": ["Not a volunteer of the business giving this help."]},
        )
    _check_date(date)
    # Locked for the day's hour limit; read afresh, so the DBS check is the one on record.
    volunteer = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=volunteer.pk)
    )
    unsafe = safeguarding.refusal(volunteer, match.need, date, date)
    if unsafe:
        raise InvalidInput(unsafe, fields={"volunteer": [unsafe]})
    bookings = Assignment.objects.filter(
        match=match, volunteer=volunteer, status=Assignment.Status.BOOKED
    )
    if assignment is None:
        assignment = bookings.filter(
            first_day__lte=date, last_day__gte=date, leave_type=leave_type
        ).first()
    elif not bookings.filter(pk=assignment.pk).exists():
        raise InvalidInput(
            "That booking is not this volunteer's on this match.",
            fields={"assignment": ["Not a booking of this volunteer on this match."]},
        )
    entry = TimeEntry(
        match=match,
        volunteer=volunteer,
        assignment=assignment,
        date=date,
        hours=Decimal(str(hours)),
        leave_type=leave_type,
        description=description,
        logged_by=by,
    )
    validate(entry)
    _check_limits(entry, match)
    entry.save()
    leave.take_for_time(entry, by=by)
    side = Side.BROKER if access.is_broker(by, match) else Side.BUSINESS
    start_delivery(match, by=by, side=side)
    _ask_to_confirm(entry, match, by)
    return entry


@transaction.atomic
def amend_time(*, entry: TimeEntry, by: User, **changes) -> TimeEntry:
    """Correct an entry not yet confirmed (e.g. after a query); it waits for confirmation
    again and the leave follows the new hours."""
    match = _lock_match(entry.match_id)
    Volunteer.objects.select_for_update().filter(pk=entry.volunteer_id).first()
    entry = _lock_entry(entry)
    require_can_act_for_volunteer(by, entry.volunteer, "change a volunteer's time")
    unknown = set(changes) - {"date", "hours", "description"}
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}.")
    was = copy.copy(entry)
    _move(entry, TimeEntry.Status.PENDING)
    for name, value in changes.items():
        setattr(entry, name, Decimal(str(value)) if name == "hours" else value)
    if "date" in changes:
        _check_date(entry.date)
    validate(entry)
    _check_limits(entry, match)
    entry.save()
    leave.rebook_time(entry, was=was, by=by)
    _ask_to_confirm(entry, entry.match, by)
    return entry


@transaction.atomic
def withdraw_time(*, entry: TimeEntry, by: User) -> TimeEntry:
    """Take back an entry not yet confirmed; its leave is returned."""
    match = _lock_match(entry.match_id)
    entry = _lock_entry(entry)
    require_can_act_for_volunteer(by, entry.volunteer, "change a volunteer's time")
    _move(entry, TimeEntry.Status.WITHDRAWN)
    leave.give_back_for_time(entry, by=by)
    entry.save(update_fields=["status"])
    complete_if_settled(match, by=by)
    return entry


@transaction.atomic
def confirm_time(*, entry: TimeEntry, by: User) -> TimeEntry:
    """The VCS organisation confirms the time was given: from now on it counts, up to the
    match's days (with extensions)."""
    match = _lock_match(entry.match_id)
    entry = _lock_entry(entry)
    _require_vcs_member(by, entry.match)
    _move(entry, TimeEntry.Status.CONFIRMED)
    confirmed = _hours(match.time.filter(status=TimeEntry.Status.CONFIRMED))
    _check_match_hours(match, confirmed, entry.hours, "confirmed")
    entry.reviewed_by, entry.reviewed_at = by, timezone.now()
    entry.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    social_value.on_confirmed(entry, by=by)
    complete_if_settled(match, by=by)  # both sides may have closed, waiting for this
    return entry


@transaction.atomic
def query_time(*, entry: TimeEntry, by: User, note: str) -> TimeEntry:
    """The VCS organisation asks about an entry; the volunteer's side is told."""
    entry = _lock_entry(entry)
    _require_vcs_member(by, entry.match)
    _move(entry, TimeEntry.Status.QUERIED)
    if not note.strip():
        raise InvalidInput("Say what is wrong.", fields={"note": ["Required."]})
    entry.reviewed_by, entry.reviewed_at, entry.query_note = by, timezone.now(), note.strip()
    entry.save(update_fields=["status", "reviewed_by", "reviewed_at", "query_note"])
    admins = outbox.admins(entry.volunteer.organisation)
    outbox.notify(
        recipients=[entry.volunteer.user, entry.logged_by, *admins],
        kind=Notification.Kind.HOURS_QUERIED,
        text=(
            f"{entry.match.need.organisation} queried {quantity(entry.hours, 'hour')} on "
            f"{entry.date:%-d %B}: {entry.query_note}"
        ),
        subject=entry,
        exclude=by,
    )
    return entry


@transaction.atomic
def give_feedback(
    *,
    match: Match,
    by: User,
    rating: int,
    outcomes: list[str] = (),
    story: str = "",
    consent_to_publish: bool = False,
    side: str | None = None,
) -> Feedback:
    """Each side rates a completed match once: a 1–5 rating, what changed, a story."""
    match = Match.objects.select_related("offer", "need").get(pk=match.pk)
    if match.status != MatchStatus.COMPLETED:
        raise InvalidTransition("Feedback is given once the match is completed.")
    sides = access.sides_of(by, match)
    if not sides:
        raise NotAllowed("Only the business and the charity or community group give feedback.")
    if side is None:
        if len(sides) > 1:
            raise InvalidInput("Say which side you speak for.", fields={"side": ["Required."]})
        (side,) = sides
    elif side not in sides:
        raise NotAllowed(f"You are not on the {side} side of this match.")
    unknown = set(outcomes) - set(Feedback.Outcome.values)
    if unknown:
        raise InvalidInput(
            f"Unknown outcomes: {', '.join(sorted(unknown))}.",
            fields={"outcomes": [f"Choose from {', '.join(Feedback.Outcome.values)}."]},
        )
    feedback = Feedback(
        match=match,
        side=side,
        rating=rating,
        outcomes=list(outcomes),
        story=story,
        consent_to_publish=consent_to_publish,
        given_by=by,
    )
    validate(feedback, exclude=["match"])
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as error:
        raise InvalidTransition("Your side has already given feedback on this match.") from error
    return feedback
