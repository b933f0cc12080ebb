from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from brokerage.messaging import links
from brokerage.models import Notification
from brokerage.services import inbox

INBOX_PAGE_SIZE = 25


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Notification.Kind.choices], required=False, label="Kind"
    )
    unread = forms.BooleanField(required=False, label="Only unread")


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """Newest first, 25 a page, filtered by kind and unread; "Mark all as read" clears it."""
    form = InboxFilterForm(request.GET or None)
    found = Notification.objects.filter(recipient=request.user).order_by("-id")
    if form.is_valid():
        if form.cleaned_data["kind"]:
            found = found.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["unread"]:
            found = found.filter(read_at__isnull=True)
    page = Paginator(found, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page)
    found_links = links.for_notifications(shown)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "items": [(notification, found_links[notification.pk].page) for notification in shown],
        "page": page,
        "form": form,
        "query": query.urlencode(),
    }
    return render(request, "frontend/inbox.html", context)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    inbox.mark_read(user=request.user, ids=None)
    return redirect("frontend:inbox")
