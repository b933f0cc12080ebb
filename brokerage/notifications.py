"""Writing notifications (an outbox) and pushing them after commit.

Services call `notify()` inside their transaction. The rows commit with the change or not
at all; only after the commit is each pushed to its recipient's channel group. A push that
fails is logged and changes nothing: the client gets the row on its next resume.
"""

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from brokerage.models import Membership, Notification, Organisation, User

log = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """One group per user: the layer routes each message to its one recipient."""
    return f"user-{user_id}"


def brokers() -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation__kind=Organisation.Kind.COUNCIL,
            memberships__organisation__verification_status=Organisation.Verification.VERIFIED,
        ).distinct()
    )


def members(*organisations: Organisation) -> list[User]:
    ids = Membership.objects.filter(organisation__in=organisations).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    url: str,
    api_url: str,
    subject: object,
    exclude: User | None = None,
) -> list[Notification]:
    """Write one notification per recipient (not to `exclude`, usually the actor) in the
    current transaction, and push them after it commits."""
    unique = {user.pk: user for user in recipients if user is not None}
    if exclude is not None:
        unique.pop(exclude.pk, None)
    rows = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind,
            text=text[:500],
            url=url,
            api_url=api_url,
            subject_type=type(subject).__name__.lower(),
            subject_id=subject.pk,
        )
        for user_id in sorted(unique)
    )
    if rows:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: push(ids))
    return rows


def push(notification_ids: list[int]) -> None:
    """Send committed notifications to their recipients' groups; failures only log."""
    layer = get_channel_layer()
    for notification in Notification.objects.filter(pk__in=notification_ids):
        try:
            async_to_sync(layer.group_send)(
                user_group(notification.recipient_id),
                {"type": "notification.push", "message": notification.as_message()},
            )
        except Exception:  # the row is the truth; the client catches up on resume
            log.exception("Push of notification %s failed", notification.pk)
