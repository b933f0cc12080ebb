from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from brokerage import selectors


def unread(request: HttpRequest) -> dict:
    """The notification badge's first value (the WebSocket keeps it current after). Read
    only by a template that shows them: a fragment htmx fetches does not pay the queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": SimpleLazyObject(lambda: selectors.unread_count(user)),
        "last_notification_seq": SimpleLazyObject(lambda: selectors.last_notification_seq(user)),
    }
