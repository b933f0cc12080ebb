"""Nobody left waiting: reminders, escalations and expiry, run by the task worker. (How long
people have to answer is `brokerage.response_times`.) A volunteer is reminded the day before
a booking starts.

Each rule is a sweep that can run at any time and any number of times: what it has done is
recorded on the row (`Match.reminded_at`, `Match.escalated_at`, the listing's status) inside
the same transaction as the notification it sends, so nothing is sent twice and a sweep that
was missed catches up on the next run.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brokerage import response_times
from brokerage.messaging import outbox
from brokerage.models import (
    Assignment,
    ListingStatus,
    Match,
    MatchStatus,
    Need,
    Notification,
    Offer,
    Side,
)
from brokerage.services.matches import cancel_proposals
from brokerage.wording import quantity

log = logging.getLogger(__name__)


def _waiting_since(now: dt.datetime, due: Callable, working_days: int, **unsent) -> list[Match]:
    """Proposals whose `due(created_at)` moment has come, not yet handled. Working days are
    never fewer than calendar days, so the query narrows by `working_days` first."""
    candidates = Match.objects.filter(
        status=MatchStatus.PROPOSED,
        created_at__lte=now - dt.timedelta(days=working_days),
        **unsent,
    ).order_by("created_at", "pk")
    return [m for m in candidates if due(m.created_at) <= now]


def _owing(match: Match) -> list:
    """The organisation(s) whose answer the proposal waits for."""
    return [
        organisation
        for organisation, accepted in (
            (match.offer.organisation, match.accepted_by_business),
            (match.need.organisation, match.accepted_by_vcs),
        )
        if not accepted
    ]


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind the side(s) owing an answer on proposals waiting REMINDER_WORKING_DAYS."""
    now = now or timezone.now()
    sent = 0
    waiting = _waiting_since(
        now, response_times.answer_by, settings.REMINDER_WORKING_DAYS, reminded_at__isnull=True
    )
    for match in waiting:
        with transaction.atomic():
            match = (
                Match.objects.select_for_update(of=("self",))
                .select_related("offer__organisation", "need__organisation")
                .get(pk=match.pk)
            )
            if match.status != MatchStatus.PROPOSED or match.reminded_at is not None:
                continue  # answered or reminded since the sweep looked
            match.reminded_at = now
            match.save(update_fields=["reminded_at"])
            outbox.notify(
                recipients=outbox.members(*_owing(match)),
                kind=Notification.Kind.MATCH_REMINDER,
                text=(
                    f"Waiting for your answer since {timezone.localdate(match.created_at):%-d %B}: "
                    f"{quantity(match.days, 'day')} of '{match.offer}' for '{match.need}'. "
                    "Please accept or decline: if there is no answer by "
                    f"{response_times.when(response_times.brokers_told_at(match.created_at))}, "
                    "the council's brokers are told."
                ),
                subject=match,
            )
            sent += 1
    return sent


def escalate(now: dt.datetime | None = None) -> int:
    """Tell brokers of proposals still unanswered after ESCALATION_WORKING_DAYS."""
    now = now or timezone.now()
    sent = 0
    waiting = _waiting_since(
        now,
        response_times.brokers_told_at,
        settings.ESCALATION_WORKING_DAYS,
        escalated_at__isnull=True,
    )
    for match in waiting:
        with transaction.atomic():
            match = (
                Match.objects.select_for_update(of=("self",))
                .select_related("offer__organisation", "need__organisation", "need__ward")
                .get(pk=match.pk)
            )
            if match.status != MatchStatus.PROPOSED or match.escalated_at is not None:
                continue
            match.escalated_at = now
            match.save(update_fields=["escalated_at"])
            names = " and ".join(str(organisation) for organisation in _owing(match))
            outbox.notify(
                recipients=outbox.brokers(match),
                kind=Notification.Kind.MATCH_ESCALATED,
                text=(
                    f"No answer from {names} for {settings.ESCALATION_WORKING_DAYS} working days: "
                    f"'{match.offer}' for '{match.need}'."
                ),
                subject=match,
            )
            sent += 1
    return sent


def expire_listings(today: dt.date | None = None) -> int:
    """Open offers and needs whose last day has passed expire; proposals waiting on them are
    cancelled and their organisation's members are told. Returns how many expired."""
    today = today or timezone.localdate()
    expired = 0
    for model, last_day, noun in (
        (Offer, "available_until", "offer"),
        (Need, "needed_by", "need"),
    ):
        stale = model.objects.filter(status=ListingStatus.OPEN, **{f"{last_day}__lt": today})
        for pk in stale.values_list("pk", flat=True):
            with transaction.atomic():
                listing = (
                    model.objects.select_for_update(of=("self",))
                    .select_related("organisation")
                    .get(pk=pk)
                )
                if listing.status != ListingStatus.OPEN or listing.last_day >= today:
                    continue  # changed since the sweep looked
                listing.status = ListingStatus.EXPIRED
                listing.closed_at = timezone.now()
                listing.save(update_fields=["status", "closed_at", "updated_at"])
                cancel_proposals(
                    listing=listing, by=None, side=Side.SYSTEM, note=f"The {noun}'s dates passed."
                )
                outbox.notify(
                    recipients=outbox.members(listing.organisation),
                    kind=Notification.Kind.LISTING_EXPIRED,
                    text=(
                        f"Your {noun} '{listing}' has expired: its last day was "
                        f"{listing.last_day:%-d %B %Y}. Post it again with new dates if it "
                        "still stands."
                    ),
                    subject=listing,
                )
                expired += 1
    if expired:
        log.info("Expired %d listings past their dates", expired)
    return expired


def remind_bookings(today: dt.date | None = None) -> int:
    """Remind each volunteer of a booking that starts tomorrow (or today, if the sweep that
    should have said so the day before was missed or it was booked since), once, while the
    booking and its match still stand. Returns how many were reminded."""
    today = today or timezone.localdate()
    due = Assignment.objects.filter(
        status=Assignment.Status.BOOKED,
        reminded_at__isnull=True,
        first_day__range=(today, today + dt.timedelta(days=1)),
        match__status__in=(MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS),
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("match__need__organisation", "match__need__ward", "volunteer__user")
                .get(pk=pk)
            )
            if booking.reminded_at is not None or booking.status != Assignment.Status.BOOKED:
                continue  # reminded or cancelled since the sweep looked
            booking.reminded_at = timezone.now()
            booking.save(update_fields=["reminded_at"])
            need = booking.match.need
            when = "today" if booking.first_day == today else "tomorrow"
            outbox.notify(
                recipients=[booking.volunteer.user],
                kind=Notification.Kind.BOOKING_REMINDER,
                text=(
                    f"Your volunteering starts {when} ({booking.first_day:%A %-d %B}): "
                    f"{quantity(booking.days, 'day')} on '{need}' for {need.organisation}, "
                    f"in {need.ward.name}. Contacts and where to log your hours are on the "
                    "match's page."
                ),
                subject=booking,
            )
            sent += 1
    return sent
