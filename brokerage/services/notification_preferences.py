"""A person chooses how they hear of each kind of notification (`Delivery`); the choices
are read by `brokerage.messaging.preferences` where notifications are written and e-mailed."""

from django.db import transaction

from brokerage.errors import InvalidInput
from brokerage.models import Delivery, Notification, NotificationPreference, User


@transaction.atomic
def set_preferences(*, user: User, choices: dict[str, str]) -> None:
    """Save `user`'s delivery for each kind in `choices`; kinds left out keep theirs. An
    unknown kind or delivery is refused and nothing is saved."""
    for kind, delivery in choices.items():
        if kind not in Notification.Kind.values:
            raise InvalidInput(f"There is no kind of notification called {kind!r}.")
        if delivery not in Delivery.values:
            message = "Choose one of the options listed."
            raise InvalidInput(message, fields={kind: [message]})
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
