from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from brokerage import links
from brokerage.models import Notification
from brokerage.services import inbox


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    notifications = list(Notification.objects.filter(recipient=request.user).order_by("-id")[:100])
    found = links.for_notifications(notifications)
    items = [(notification, found[notification.pk].page) for notification in notifications]
    return render(request, "frontend/inbox.html", {"items": items})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    inbox.mark_read(user=request.user, ids=None)
    return redirect("frontend:inbox")
