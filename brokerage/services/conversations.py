"""Talking to the other side: a message thread on each match, from the proposal on, for
both sides' members and the area's brokers.

Each message tells the other side's members (and brokers who have written on the thread)
at once, live like any notification and e-mailed if still unread after the grace period
(`Notification.IMMEDIATE_EMAIL`). A thread stays open while the match is: once it is
declined, cancelled or completed it is kept, read-only, in the match's record.
"""

from django.db import transaction

from brokerage import access
from brokerage.errors import InvalidInput, InvalidTransition
from brokerage.messaging import outbox
from brokerage.models import Match, MatchMessage, Notification, Side, User
from brokerage.models.matches import OPEN_STATUSES
from brokerage.services.matches import acting_sides

MAX_LENGTH = 2000
# How much of a message its notification quotes (the whole is on the match's page).
QUOTED = 160


@transaction.atomic
def post_message(*, match: Match, by: User, text: str) -> MatchMessage:
    """Add `by`'s message to the match's thread. Refused (nothing changes) for someone who is
    not a party or a broker of its area, an empty or too long message, or a closed match."""
    sides = acting_sides(by, match)
    text = text.strip()
    if not text:
        raise InvalidInput("Write a message.", fields={"text": ["Write a message."]})
    if len(text) > MAX_LENGTH:
        message = f"Keep the message to {MAX_LENGTH:,} characters or fewer."
        raise InvalidInput(message, fields={"text": [message]})
    match = (
        Match.objects.select_for_update()
        .select_related("offer__organisation", "need__organisation")
        .get(pk=match.pk)
    )
    if match.status not in OPEN_STATUSES:
        raise InvalidTransition(
            f"This match is {match.get_status_display().lower()}: its messages are kept, "
            "but no more can be added."
        )
    side = access.acting_side(sides)
    message = MatchMessage.objects.create(match=match, author=by, author_side=side, text=text)
    outbox.notify(
        recipients=[
            *outbox.members(match.offer.organisation, match.need.organisation),
            *_brokers_on_thread(match),
        ],
        kind=Notification.Kind.MATCH_MESSAGE,
        text=f"{_who(by, side, match)} wrote on '{match.need}': "
        + (text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"),
        subject=match,
        exclude=by,
    )
    return message


def _brokers_on_thread(match: Match) -> list[User]:
    ids = MatchMessage.objects.filter(match=match, author_side=Side.BROKER).values("author_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _who(by: User, side: str, match: Match) -> str:
    name = by.get_full_name() or by.username
    organisation = {
        Side.BUSINESS: match.offer.organisation,
        Side.VCS: match.need.organisation,
    }.get(side)
    return f"{name} ({organisation})" if organisation else f"{name} (council broker)"
