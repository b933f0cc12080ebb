"""Bookings as calendar files (iCalendar, RFC 5545, written by the `icalendar` package): one
booking to add to a calendar, or a volunteer's feed that a calendar app subscribes to.

Each booking is an all-day event from its first to its last day, with a stable UID, so a
feed that is fetched again updates events rather than adding copies, and a cancelled booking
is kept with STATUS:CANCELLED so calendar apps take it out.
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from brokerage.messaging import links
from brokerage.models import Assignment
from brokerage.wording import quantity


def bookings_calendar(bookings: Iterable[Assignment], *, name: str) -> bytes:
    """The bookings as one calendar called `name`. Each booking needs its match's need and
    organisations and its volunteer's organisation loaded."""
    calendar = Calendar()
    calendar.add("prodid", "-//Coventry volunteering and skills//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT6H")  # how often a subscribing app should fetch again
    for booking in bookings:
        calendar.add_component(_event(booking))
    return calendar.to_ical()


def _event(booking: Assignment) -> Event:
    match, need = booking.match, booking.match.need
    page = links.absolute(links.match_page(match.pk))
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("dtstamp", timezone.now())
    event.add("created", booking.created_at)
    event.add("summary", f"Volunteering: {need.title} ({need.organisation})")
    event.add("dtstart", booking.first_day)
    event.add("dtend", booking.last_day + dt.timedelta(days=1))  # all-day: the day after
    event.add("location", f"{need.ward.name}" + (" or remotely" if need.remote_ok else ""))
    event.add(
        "description",
        f"{quantity(booking.days, 'day')} of {booking.get_leave_type_display().lower()} for "
        f"{booking.volunteer.organisation}, helping {need.organisation} with '{need.title}'.\n"
        f"Details, contacts and logging your hours: {page}",
    )
    event.add("url", page)
    event.add("transp", "OPAQUE")
    if booking.status == Assignment.Status.CANCELLED:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    else:
        event.add("status", "CONFIRMED")
        event.add("sequence", 0)
    return event
