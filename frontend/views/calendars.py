"""Bookings in people's calendars: one booking as a file to add, and a volunteer's own feed
that a calendar app subscribes to (by a secret address: calendar apps cannot sign in)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from brokerage import selectors
from brokerage.datasets.calendars import bookings_calendar
from brokerage.models import Assignment
from brokerage.tokens import user_for_calendar_token

# A feed keeps past bookings this long, so last month's volunteering stays in the calendar.
FEED_HISTORY = dt.timedelta(days=180)
_FOR_EVENTS = ("match__need__organisation", "match__need__ward", "volunteer__organisation")


def _calendar(content: bytes, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def booking_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking, for whoever may see it (the volunteer, both sides, the area's brokers)."""
    booking = get_object_or_404(
        selectors.visible_assignments(request.user).select_related(*_FOR_EVENTS), pk=pk
    )
    name = f"Volunteering: {booking.match.need.title}"
    return _calendar(bookings_calendar([booking], name=name), f"booking-{booking.pk}.ics")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_calendar_token(token)
    if user is None:
        raise Http404("This calendar address is not valid any more.")
    since = timezone.localdate() - FEED_HISTORY
    bookings = (
        Assignment.objects.filter(volunteer__user=user, last_day__gte=since)
        .select_related(*_FOR_EVENTS)
        .order_by("first_day", "id")
    )
    response = _calendar(bookings_calendar(bookings, name="My volunteering"))
    response["Cache-Control"] = "private, max-age=900"
    return response
