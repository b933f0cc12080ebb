from django.http import HttpRequest

from brokerage import selectors


def unread(request: HttpRequest) -> dict:
    """The notification badge's first value (the WebSocket keeps it current after)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": selectors.unread_count(user),
        "last_notification_seq": selectors.last_notification_seq(user),
    }
