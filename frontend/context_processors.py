from django.http import HttpRequest

from brokerage import selectors
from brokerage.models import Notification


def unread(request: HttpRequest) -> dict:
    """The notification badge's first value (the WebSocket keeps it current after)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    last = Notification.objects.filter(recipient=user).order_by("-id").values_list("id", flat=True)
    return {"unread_count": selectors.unread_count(user), "last_notification_id": last.first() or 0}
