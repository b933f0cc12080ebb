"""The signed-in user's inbox: marking notifications read (the unread count is a read, in
`brokerage.selectors`)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from brokerage.models import Notification, User


@transaction.atomic
def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread when `ids` is None); ids of other
    users' notifications are ignored. Returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
