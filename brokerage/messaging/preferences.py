"""How each person wants each kind of notification (`NotificationPreference`): the one place
that answers "is this written, and is it e-mailed at once, in the digest, or not at all?".

Defaults are safe: everything shows on the site; what needs an answer soon (a proposal, a
reminder, an escalation, a booking about to start, a message) is e-mailed at once if it is
still unread after the grace period; the rest goes in the daily digest. A person's own row
for a kind replaces its default. Turning a kind off means it is not written at all (e-mails
are sent from what the site keeps, so "off on the site" is off everywhere).
"""

from collections.abc import Collection

from django.db.models import Exists, OuterRef, Q, QuerySet

from brokerage.models import Delivery, Notification, NotificationPreference, User


def default_for(kind: str) -> str:
    return Delivery.INSTANT if kind in Notification.IMMEDIATE_EMAIL else Delivery.DIGEST


def choices_of(user_ids: Collection[int], kind: str) -> dict[int, str]:
    """Each user's delivery for `kind` (their own choice, else the default). One query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, default_for(kind)) for pk in user_ids}


def all_choices(user: User) -> dict[str, str]:
    """The user's delivery for every kind, for their preferences page."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, default_for(kind)) for kind in Notification.Kind.values}


def not_for_the_digest() -> Q:
    """A filter for notifications their recipient does not want in an e-mail (site only)."""
    return Q(
        Exists(
            NotificationPreference.objects.filter(
                user_id=OuterRef("recipient_id"),
                kind=OuterRef("kind"),
                delivery__in=(Delivery.SITE, Delivery.OFF),
            )
        )
    )


def wanted(rows: QuerySet) -> QuerySet:
    """Of `rows` (notifications), those their recipients want e-mailed in some way."""
    return rows.exclude(not_for_the_digest())
