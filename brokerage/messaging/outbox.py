"""Step 1 of a notification (see `brokerage.messaging`): services call `notify()` inside their
transaction, with a recipient list from here. The rows commit with the change or not at all;
after the commit they are handed to `delivery` and urgent ones to `emails`."""

from collections.abc import Iterable

from django.db import models, transaction

from brokerage import access
from brokerage.messaging import emails, preferences
from brokerage.messaging.delivery import deliver
from brokerage.models import Delivery, Membership, Notification, Organisation, User


def brokers(where: object = None) -> list[User]:
    """Everyone who brokers `where`'s area (`access.brokers`)."""
    return list(access.brokers(where))


def members(*organisations: Organisation) -> list[User]:
    ids = Membership.objects.filter(organisation__in=organisations).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def admins(organisation: Organisation) -> list[User]:
    """The organisation's administrators (who run its volunteers, leave and checks)."""
    ids = Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    subject: models.Model,
    exclude: User | None = None,
) -> list[Notification]:
    """Write one notification per recipient (not to `exclude`, usually the actor, nor to
    anyone who turned this kind off) about `subject` in the current transaction; push them
    (and queue the e-mails wanted at once) after it commits."""
    subject_type = type(subject).__name__.lower()
    if subject_type not in Notification.SUBJECT_TYPES[kind]:  # a bug, not input
        raise ValueError(f"A {kind} notification is not about a {subject_type}.")
    unique = {user.pk: user for user in recipients if user is not None}
    if exclude is not None:
        unique.pop(exclude.pk, None)
    for user_id, delivery in preferences.choices_of(list(unique), kind).items():
        if delivery == Delivery.OFF:  # they asked not to hear of this kind at all
            unique.pop(user_id)
    rows = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind,
            text=text[:500],
            subject_type=subject_type,
            subject_id=subject.pk,
        )
        for user_id in sorted(unique)
    )
    if rows:
        transaction.on_commit(lambda: deliver(sorted(unique)))
        transaction.on_commit(lambda: emails.email_soon(rows))
    return rows
