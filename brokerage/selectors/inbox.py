"""A person's notifications: the last place given in their inbox and the unread badge."""

from brokerage.models import (
    InboxSequence,
    Notification,
    User,
)


def last_notification_seq(user: User) -> int:
    """The last place given in the user's inbox (0 before the first notification)."""
    found = InboxSequence.objects.filter(user=user).values_list("last_seq", flat=True)
    return found.first() or 0


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the badge)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
