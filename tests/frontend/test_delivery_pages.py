"""Delivering a match from its page, as each party does it: the business admin books a
volunteer (a booking past the leave left is refused on the field, nothing booked), the
volunteer logs hours, the charity queries one and confirms the rest at once, the volunteer
corrects the queried one, both close, the charity leaves feedback with a consented story,
which then shows on the need's public page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.datasets.reference_data import load_measures
from brokerage.models import Assignment, Feedback, MatchStatus, TimeEntry
from brokerage.services import assignments, hours
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(business, vcs, business_member, vcs_member):
    load_measures()
    tom = factories.VolunteerFactory(
        organisation=business, user__username="tom", user__first_name="Tom"
    )
    match = factories.AcceptedMatchFactory(
        offer__organisation=business, need__organisation=vcs, days=3
    )
    return {"match": match, "tom": tom, "admin": business_member, "charity": vcs_member}


def page_of(client, user, match) -> str:
    client.force_login(user)
    return client.get(f"/matches/{match.pk}/").content.decode()


def opened(client, match, name: str) -> str:
    """What opening one of the page's closed forms shows (htmx fetches it)."""
    answer = client.get(f"/matches/{match.pk}/forms/{name}/", headers={"HX-Request": "true"})
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_whole_delivery_from_booking_to_a_published_story(client, delivery):
    match, tom = delivery["match"], delivery["tom"]
    today = timezone.localdate()
    week = today + dt.timedelta(days=6)
    url = f"/matches/{match.pk}"

    # The admin opens "Book a volunteer", sees each volunteer's leave left, then books within it.
    admin_page = page_of(client, delivery["admin"], match)
    assert "Book a volunteer" in admin_page
    assert "paid 2.00 days left" in opened(client, match, "book")
    too_much = client.post(f"{url}/book/", {
        "book-volunteer": tom.pk, "book-leave_type": "paid", "book-days": "3",
        "book-first_day": today.isoformat(), "book-last_day": week.isoformat(),
    })  # fmt: skip
    assert "At most 15 hours (2.0 days)" in too_much.content.decode()
    assert 'value="3"' in too_much.content.decode()  # what they typed is kept
    assert not Assignment.objects.exists()
    client.post(f"{url}/book/", {
        "book-volunteer": tom.pk, "book-leave_type": "paid", "book-days": "1",
        "book-first_day": today.isoformat(), "book-last_day": today.isoformat(),
    })  # fmt: skip
    assert Assignment.objects.get().volunteer == tom

    # The volunteer logs two sessions; they cannot book (that is the admin's).
    volunteer_page = page_of(client, tom.user, match)
    assert "Log hours" in volunteer_page and "Book a volunteer" not in volunteer_page
    for amount, what in (("3", "Rewired the hall"), ("2", "Tested the sockets")):
        client.post(f"{url}/time/", {
            "log-volunteer": tom.pk, "log-date": today.isoformat(), "log-hours": amount,
            "log-leave_type": "own_time", "log-description": what,
        })  # fmt: skip
    first, second = TimeEntry.objects.order_by("id")
    assert first.status == second.status == TimeEntry.Status.PENDING

    # The charity queries one (a reason is required) and confirms the other.
    charity_page = page_of(client, delivery["charity"], match)
    assert "Confirm the ticked hours" in charity_page
    empty = client.post(f"{url}/time/{second.pk}/query/", {f"query-{second.pk}-note": ""})
    assert "Say what is wrong with these hours" in empty.content.decode()
    client.post(f"{url}/time/{second.pk}/query/", {f"query-{second.pk}-note": "Was it 1 hour?"})
    client.post(f"{url}/time/confirm/", {"entry": [first.pk]})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "queried")

    # The volunteer reads the query and corrects the hours; the charity confirms them.
    assert "Queried: Was it 1 hour?" in page_of(client, tom.user, match)
    client.post(f"{url}/time/{second.pk}/amend/", {
        f"amend-{second.pk}-hours": "1", f"amend-{second.pk}-description": "Tested the sockets",
    })  # fmt: skip
    second.refresh_from_db()
    assert (second.status, second.hours) == ("pending", 1)
    page_of(client, delivery["charity"], match)
    client.post(f"{url}/time/confirm/", {"entry": [second.pk]})
    assert "4 hours" in page_of(client, delivery["charity"], match)

    # Both close; the charity leaves feedback with a story it lets the public read.
    client.post(f"{url}/close/")
    page_of(client, delivery["admin"], match)
    client.post(f"{url}/close/")
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED
    page_of(client, delivery["charity"], match)
    client.post(f"{url}/feedback/", {
        "feedback-rating": "5", "feedback-outcomes": ["it_secure"],
        "feedback-story": "The hall is safe to open again.", "feedback-consent_to_publish": "on",
    })  # fmt: skip
    assert Feedback.objects.get().story == "The hall is safe to open again."
    client.logout()
    public = client.get(f"/needs/{match.need.pk}/").content.decode()
    assert "The hall is safe to open again." in public


def test_a_story_without_consent_stays_private(client, delivery):
    match = delivery["match"]
    match.status, match.completed_at = MatchStatus.COMPLETED, timezone.now()
    match.save()
    client.force_login(delivery["charity"])
    client.post(f"/matches/{match.pk}/feedback/", {
        "feedback-rating": "4", "feedback-story": "Private thanks.",
    })  # fmt: skip
    assert Feedback.objects.get().story == "Private thanks."
    client.logout()
    assert "Private thanks." not in client.get(f"/needs/{match.need.pk}/").content.decode()


def test_nobody_else_books_or_confirms(client, delivery, outsider):
    match, tom = delivery["match"], delivery["tom"]
    today = dt.date.today().isoformat()
    client.force_login(tom.user)  # a volunteer, not an admin
    response = client.post(f"/matches/{match.pk}/book/", {
        "book-volunteer": tom.pk, "book-leave_type": "paid", "book-days": "1",
        "book-first_day": today, "book-last_day": today,
    })  # fmt: skip
    assert response.status_code == 403
    client.force_login(outsider)
    assert client.post(f"/matches/{match.pk}/time/confirm/", {"entry": [1]}).status_code == 404
    assert not Assignment.objects.exists()


def test_the_charity_confirms_hours_across_its_matches_from_the_dashboard(
    client, delivery, business, vcs
):
    other = factories.AcceptedMatchFactory(offer__organisation=business, need__organisation=vcs)
    today = timezone.localdate()
    entries = [
        hours.log_time(
            match=match,
            volunteer=delivery["tom"],
            date=today,
            hours=Decimal(2),
            leave_type="own_time",
            description=f"Session {n}",
            by=delivery["tom"].user,
        )
        for n, match in enumerate((delivery["match"], other))
    ]
    client.force_login(delivery["charity"])
    page = client.get("/dashboard/").content.decode()
    assert "Hours waiting for your confirmation" in page
    assert "Session 0" in page and "Session 1" in page
    nothing = client.post("/hours/confirm/", {}, follow=True)
    assert "Tick the hours to confirm" in nothing.content.decode()
    client.post("/hours/confirm/", {"entry": [e.pk for e in entries]})
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"confirmed"}


def test_someone_elses_hours_cannot_be_confirmed_from_the_dashboard(client, delivery, outsider):
    entry = hours.log_time(
        match=delivery["match"], volunteer=delivery["tom"], date=timezone.localdate(),
        hours=Decimal(1), leave_type="own_time", description="x", by=delivery["tom"].user,
    )  # fmt: skip
    client.force_login(outsider)
    client.post("/hours/confirm/", {"entry": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == "pending"


def test_only_the_businesss_admins_cancel_a_booking(client, delivery):
    match, tom = delivery["match"], delivery["tom"]
    today = timezone.localdate()
    booking = assignments.book(
        match=match, volunteer=tom, first_day=today, last_day=today, days=Decimal(1),
        leave_type="paid", by=delivery["admin"],
    )  # fmt: skip
    for user in (tom.user, delivery["charity"]):
        client.force_login(user)
        assert (
            "Cancel"
            not in client.get(f"/matches/{match.pk}/")
            .content.decode()
            .split("Volunteers booked")[1]
            .split("Hours")[0]
        )
        client.post(f"/matches/{match.pk}/book/{booking.pk}/cancel/")
        booking.refresh_from_db()
        assert booking.status == "booked", user


def test_the_business_closes_while_hours_wait_and_is_told_what_the_charity_still_does(
    client, delivery
):
    match, tom = delivery["match"], delivery["tom"]
    hours.log_time(
        match=match, volunteer=tom, date=timezone.localdate(), hours=Decimal(3),
        leave_type="own_time", description="Rewired the hall", by=tom.user,
    )  # fmt: skip
    client.force_login(delivery["admin"])

    page = client.post(f"/matches/{match.pk}/close/", follow=True).content.decode()

    assert (
        f"Closed for your side. 1 time entry waits for {match.need.organisation} to confirm. "
        "The match completes once they are settled." in page.replace("&#x27;", "'")
    )
    page = page_of(client, delivery["charity"], match)
    assert "closed its side" in client.get("/notifications/").content.decode()
    client.post(f"/matches/{match.pk}/close/")
    client.post(f"/matches/{match.pk}/time/confirm/", {"entry": [TimeEntry.objects.get().pk]})
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED
