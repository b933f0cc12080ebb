"""A volunteer's own things: "I would like to help" from any request's page, each booking as
a calendar file and all of them as a feed a calendar app subscribes to, a reminder the day
before a booking starts, and a record of confirmed hours to print or save as a PDF."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from brokerage.models import Assignment, Interest, Notification, TimeEntry
from brokerage.services import accounts, deadlines
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough phrase"


@pytest.fixture
def asha(business):
    volunteer = factories.VolunteerFactory(
        organisation=business, user__username="asha", user__first_name="Asha",
        user__last_name="Patel",
    )  # fmt: skip
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save()
    return volunteer


@pytest.fixture
def match(business, vcs):
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs, title="Paint the community hall"),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _booking(match, volunteer, first: dt.date, days: int = 1, **fields) -> Assignment:
    return Assignment.objects.create(
        match=match, volunteer=volunteer, first_day=first,
        last_day=first + dt.timedelta(days=days - 1), days=days, leave_type="paid", **fields,
    )  # fmt: skip


# "I would like to help" from a request's own page


def test_a_volunteer_says_they_would_like_to_help_from_the_requests_page(
    asha, need, business_member
):
    client = _client(asha.user)
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "I would like to help" in page

    response = client.post(
        f"/volunteering/needs/{need.pk}/interest/",
        {"volunteer": asha.pk, "note": "Free on Fridays", "back": f"/needs/{need.pk}/"},
    )
    assert response.status_code == 302 and response.url == f"/needs/{need.pk}/"
    interest = Interest.objects.get(volunteer=asha, need=need)
    assert interest.note == "Free on Fridays"
    assert Notification.objects.filter(
        recipient=business_member, kind=Notification.Kind.VOLUNTEER_INTERESTED
    ).exists()

    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "You said you would like to help" in page
    withdrawn = client.post(
        f"/volunteering/interests/{interest.pk}/withdraw/", {"back": f"/needs/{need.pk}/"}
    )
    assert withdrawn.url == f"/needs/{need.pk}/"
    interest.refresh_from_db()
    assert interest.withdrawn_at is not None


def test_bad_interest_posts_change_nothing(asha, need, vcs_member):
    client = _client(asha.user)
    someone_else = factories.VolunteerFactory()
    for volunteer in ("abc", "", str(someone_else.pk), "9" * 30):
        response = client.post(f"/volunteering/needs/{need.pk}/interest/", {"volunteer": volunteer})
        assert response.status_code == 404, volunteer
    elsewhere = client.post(
        f"/volunteering/needs/{need.pk}/interest/",
        {"volunteer": asha.pk, "back": "https://evil.example/"},
    )
    assert elsewhere.url == "/volunteering/needs/"  # never sent off the site
    Interest.objects.all().delete()

    need.status = "closed"
    need.save()
    refused = client.post(
        f"/volunteering/needs/{need.pk}/interest/", {"volunteer": asha.pk}, follow=True
    )
    assert "no longer open" in refused.content.decode()
    assert not Interest.objects.exists()
    # Someone who volunteers for no business is not offered the form.
    assert (
        "I would like to help" not in _client(vcs_member).get(f"/needs/{need.pk}/").content.decode()
    )


# Calendars


def _events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


def test_a_booking_downloads_as_a_calendar_event(asha, match, outsider):
    booking = _booking(match, asha, dt.date(2027, 1, 14), days=2)
    response = _client(asha.user).get(f"/bookings/{booking.pk}/calendar.ics")

    assert response["Content-Type"].startswith("text/calendar")
    (event,) = _events(response.content)
    assert event.decoded("dtstart") == dt.date(2027, 1, 14)
    assert event.decoded("dtend") == dt.date(2027, 1, 16)  # all day, through the 15th
    assert "Paint the community hall" in str(event["summary"])
    assert str(event["url"]).endswith(f"/matches/{match.pk}/")
    assert str(event["status"]) == "CONFIRMED"

    assert _client(outsider).get(f"/bookings/{booking.pk}/calendar.ics").status_code == 404
    assert Client().get(f"/bookings/{booking.pk}/calendar.ics").status_code == 302


def _feed_address(user) -> str:
    page = _client(user).get("/dashboard/").content.decode()
    return re.search(r"<code[^>]*>https?://[^/]+(/calendar/[^<]+\.ics)</code>", page).group(1)


def test_the_feed_holds_their_bookings_and_a_new_password_ends_its_address(asha, match):
    booked = _booking(match, asha, dt.date(2027, 1, 14))
    cancelled = _booking(match, asha, dt.date(2027, 1, 21), status=Assignment.Status.CANCELLED)
    _booking(
        match, factories.VolunteerFactory(organisation=asha.organisation), dt.date(2027, 1, 14)
    )
    address = _feed_address(asha.user)

    response = Client().get(address)  # a calendar app: no session
    assert response.status_code == 200
    events = {str(e["uid"]).split("@")[0]: str(e["status"]) for e in _events(response.content)}
    assert events == {f"booking-{booked.pk}": "CONFIRMED", f"booking-{cancelled.pk}": "CANCELLED"}

    assert Client().get(address.replace(".ics", "x.ics")).status_code == 404  # mangled
    accounts.set_password(user=asha.user, new_password="another long phrase here")
    assert Client().get(address).status_code == 404
    assert _feed_address(asha.user) != address


# The day-before reminder


def test_a_volunteer_is_reminded_the_day_before_once(asha, match):
    today = dt.date(2027, 1, 13)
    tomorrow = _booking(match, asha, dt.date(2027, 1, 14))
    later = _booking(match, asha, dt.date(2027, 1, 15))
    _booking(match, asha, dt.date(2027, 1, 14), status=Assignment.Status.CANCELLED)

    assert deadlines.remind_bookings(today) == 1
    assert deadlines.remind_bookings(today) == 0  # a second sweep sends nothing more
    (told,) = Notification.objects.filter(
        recipient=asha.user, kind=Notification.Kind.BOOKING_REMINDER
    )
    assert told.subject_id == tomorrow.pk
    assert "starts tomorrow (Thursday 14 January)" in told.text
    assert Notification.Kind.BOOKING_REMINDER in Notification.IMMEDIATE_EMAIL

    # A sweep that was missed the day before still says so on the morning.
    assert deadlines.remind_bookings(dt.date(2027, 1, 15)) == 1
    assert "starts today" in Notification.objects.filter(subject_id=later.pk).get().text


def test_no_reminder_for_a_booking_on_a_match_that_ended(asha, match):
    _booking(match, asha, dt.date(2027, 1, 14))
    match.status = "cancelled"
    match.save()
    assert deadlines.remind_bookings(dt.date(2027, 1, 13)) == 0


# The record


def _time(match, volunteer, day: dt.date, hours: str, status=TimeEntry.Status.CONFIRMED):
    return TimeEntry.objects.create(
        match=match, volunteer=volunteer, date=day, hours=Decimal(hours), leave_type="paid",
        description="Painting", status=status, logged_by=volunteer.user,
        **({"reviewed_by": volunteer.user, "reviewed_at": timezone.now()}
           if status == TimeEntry.Status.CONFIRMED else {}),
    )  # fmt: skip


def test_the_record_counts_confirmed_hours_only(asha, match):
    _time(match, asha, dt.date(2026, 11, 3), "7.5")
    _time(match, asha, dt.date(2027, 1, 5), "7.5")
    _time(match, asha, dt.date(2027, 1, 6), "4", status=TimeEntry.Status.PENDING)
    _time(
        match, factories.VolunteerFactory(organisation=asha.organisation), dt.date(2027, 1, 5), "3"
    )

    page = re.sub(r"\s+", " ", _client(asha.user).get("/volunteering/record/").content.decode())
    assert "Asha Patel" in page
    assert "15 hours" in page and "about 2 volunteer-days" in page  # 15 of 7.5
    assert "1 organisation" in page
    assert "between 3 November 2026 and 5 January 2027" in page
    assert "2026: 7.5 hours" in page and "2027: 7.5 hours" in page
    assert "Print or save as PDF" in page


def test_a_record_with_nothing_confirmed_says_so(asha):
    page = _client(asha.user).get("/volunteering/record/").content.decode()
    assert "has no confirmed volunteering yet" in page
