"""Volunteers, leave, bookings, time, closing and feedback through the API."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brokerage.models import LeaveEntry, LeavePolicy, MatchStatus, TimeEntry
from tests import factories

pytestmark = pytest.mark.django_db
YESTERDAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def employee(business):
    return factories.MembershipFactory(
        organisation=business, user__username="sam", user__first_name="Sam", role="member"
    ).user


@pytest.fixture
def match(business, vcs):
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs),
        days=3,
    )


def test_reading_a_leave_policy_never_set_shows_the_default_and_writes_nothing(
    client_for, business, business_member
):
    with CaptureQueriesContext(connection) as queries:
        answer = client_for(business_member).get(
            f"/api/v1/organisations/{business.pk}/leave-policy/"
        )

    assert answer.status_code == 200
    assert (answer.json()["paid_days"], answer.json()["unpaid_days"]) == ("2.00", "5.00")
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == [] and not LeavePolicy.objects.exists()


def test_changing_a_leave_policy_never_set_saves_it_from_the_default(
    client_for, business, business_member
):
    url = f"/api/v1/organisations/{business.pk}/leave-policy/"

    client_for(business_member).patch(url, {"unpaid_days": "4"}, format="json")

    policy = LeavePolicy.objects.get(organisation=business)
    assert (policy.paid_days, policy.unpaid_days) == (2, 4)
    assert client_for(business_member).get(url).json()["unpaid_days"] == "4.00"


def test_from_volunteer_to_feedback(
    client_for, business, business_member, employee, vcs_member, match
):
    admin, sam, charity = (
        client_for(business_member), client_for(employee), client_for(vcs_member)
    )  # fmt: skip
    skill = factories.SkillFactory()

    volunteer = admin.post(
        "/api/v1/volunteers/",
        {"organisation": business.pk, "user": employee.pk, "skills": [skill.pk]},
        format="json",
    )
    assert volunteer.status_code == 201, volunteer.json()
    assert volunteer.json()["name"] == "Sam" and volunteer.json()["skills"] == [skill.pk]
    vid = volunteer.json()["id"]

    policy = admin.patch(
        f"/api/v1/organisations/{business.pk}/leave-policy/", {"paid_days": "3"}, format="json"
    )
    assert policy.status_code == 200 and policy.json()["paid_days"] == "3.00"

    booking = admin.post(
        "/api/v1/assignments/",
        {"match": match.pk, "volunteer": vid, "first_day": YESTERDAY, "last_day": YESTERDAY,
         "days": "1", "leave_type": "paid"},
        format="json",
    )  # fmt: skip
    assert booking.status_code == 201, booking.json()
    assert booking.json()["booked_hours"] == "7.50"

    leave = sam.get(f"/api/v1/volunteers/{vid}/leave/").json()
    paid = next(row for row in leave if row["leave_type"] == "paid")
    assert (paid["allowance_hours"], paid["booked_hours"], paid["remaining_days"]) == (
        "22.50", "7.50", "2.00"
    )  # fmt: skip

    logged = sam.post(
        "/api/v1/time-entries/",
        {"match": match.pk, "volunteer": vid, "date": YESTERDAY, "hours": "6",
         "leave_type": "paid", "description": "Wrote the HR policy"},
        format="json",
    )  # fmt: skip
    assert logged.status_code == 201, logged.json()
    entry = logged.json()["id"]
    assert logged.json()["status"] == "pending"
    assert client_for(employee).get(f"/api/v1/matches/{match.pk}/").json()["status"] == (
        "in_progress"
    )

    assert admin.post(f"/api/v1/time-entries/{entry}/confirm/").status_code == 403
    queried = charity.post(
        f"/api/v1/time-entries/{entry}/query/", {"note": "Was it 5 hours?"}, format="json"
    )
    assert queried.json()["status"] == "queried"
    amended = sam.patch(f"/api/v1/time-entries/{entry}/", {"hours": "5"}, format="json")
    assert amended.json()["hours"] == "5.00" and amended.json()["status"] == "pending"
    assert charity.post(f"/api/v1/time-entries/{entry}/confirm/").json()["status"] == "confirmed"

    assert charity.post(f"/api/v1/matches/{match.pk}/close/").status_code == 200
    closed = admin.post(f"/api/v1/matches/{match.pk}/close/")
    assert closed.json()["status"] == MatchStatus.COMPLETED

    given = charity.post(
        f"/api/v1/matches/{match.pk}/feedback/",
        {"rating": 5, "outcomes": ["hr_policy"], "story": "Policy adopted.",
         "consent_to_publish": True},
        format="json",
    )  # fmt: skip
    assert given.status_code == 201 and given.json()["side"] == "vcs"
    again = charity.post(f"/api/v1/matches/{match.pk}/feedback/", {"rating": 1}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert [f["rating"] for f in admin.get(f"/api/v1/matches/{match.pk}/feedback/").json()] == [5]


def test_booking_past_the_allowance_is_a_409_and_books_nothing(
    client_for, business, business_member, match
):
    volunteer = factories.VolunteerFactory(organisation=business)

    response = client_for(business_member).post(
        "/api/v1/assignments/",
        {"match": match.pk, "volunteer": volunteer.pk, "first_day": "2026-06-01",
         "last_day": "2026-06-03", "days": "3", "leave_type": "paid"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "leave_exceeded" and "15 hours of paid" in body["detail"]
    assert body["fields"]["days"] == ["At most 15 hours (2.0 days)."]
    assert not LeaveEntry.objects.exclude(kind="allowance").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": "abc"}, "hours"),
        ({"date": "yesterday"}, "date"),
        ({"leave_type": "holiday"}, "leave_type"),
        ({"description": ""}, "description"),
        ({"match": 999999}, "match"),
    ],
)
def test_bad_time_entries_are_400_with_the_field_named(client_for, business, match, body, field):
    volunteer = factories.VolunteerFactory(organisation=business)
    valid = {"match": match.pk, "volunteer": volunteer.pk, "date": YESTERDAY, "hours": "2",
             "leave_type": "own_time", "description": "Helped"}  # fmt: skip

    response = client_for(volunteer.user).post("/api/v1/time-entries/", valid | body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not TimeEntry.objects.exists()


def test_who_sees_what(client_for, business, match, vcs_member, outsider, broker):
    volunteer = factories.VolunteerFactory(organisation=business)
    colleague = factories.MembershipFactory(organisation=business, role="member").user

    assert client_for(outsider).get("/api/v1/volunteers/").json()["count"] == 0
    assert client_for(vcs_member).get("/api/v1/volunteers/").json()["count"] == 0
    assert client_for(broker).get("/api/v1/volunteers/").json()["count"] == 1
    assert client_for(outsider).get(f"/api/v1/volunteers/{volunteer.pk}/leave/").status_code == 404
    assert client_for(colleague).get(f"/api/v1/volunteers/{volunteer.pk}/leave/").status_code == 403
    assert client_for(None).get("/api/v1/time-entries/").status_code == 401
    assert (
        client_for(outsider).get(f"/api/v1/organisations/{business.pk}/leave-policy/").status_code
        == 403
    )


LISTS = ["/api/v1/volunteers/", "/api/v1/assignments/", "/api/v1/time-entries/"]


@pytest.mark.parametrize("url", LISTS)
def test_lists_run_the_same_queries_for_one_item_as_for_thirty(
    client_for, business, vcs, broker, url
):
    def grow(n):
        for _ in range(n):
            volunteer = factories.VolunteerFactory(organisation=business)
            volunteer.skills.add(factories.SkillFactory())
            match = factories.AcceptedMatchFactory(
                offer=factories.OfferFactory(organisation=business),
                need=factories.NeedFactory(organisation=vcs),
            )
            assignment = factories.models.Assignment.objects.create(
                match=match, volunteer=volunteer, first_day=dt.date(2026, 6, 1),
                last_day=dt.date(2026, 6, 1), days=1, leave_type="own_time",
            )  # fmt: skip
            TimeEntry.objects.create(
                match=match, volunteer=volunteer, assignment=assignment,
                date=dt.date(2026, 6, 1), hours=3, leave_type="own_time", description="x",
            )  # fmt: skip

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client_for(broker).get(url + "?page_size=100").status_code == 200
        return len(captured)

    grow(1)
    one = count()
    grow(29)
    assert count() == one


def test_time_past_the_days_limit_is_a_409_naming_hours_until_the_match_is_extended(
    client_for, business, match, broker, business_member, vcs_member
):
    volunteer = factories.VolunteerFactory(organisation=business)
    post = lambda body: client_for(volunteer.user).post(  # noqa: E731
        "/api/v1/time-entries/",
        {"match": match.pk, "volunteer": volunteer.pk, "leave_type": "own_time",
         "description": "Helped"} | body,
        format="json",
    )  # fmt: skip
    assert post({"date": YESTERDAY, "hours": "5"}).status_code == 201

    refused = post({"date": YESTERDAY, "hours": "3"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "capacity_exceeded"
    (said,) = refused.json()["fields"]["hours"]
    assert "already has 5 hours logged" in said and said.endswith("Enter at most 2.5.")
    assert TimeEntry.objects.count() == 1

    extend = lambda user, body: client_for(user).post(  # noqa: E731
        f"/api/v1/matches/{match.pk}/extend/", body, format="json"
    )
    for bad in ({}, {"days": 0}, {"days": 61}, {"days": "two"}):
        answer = extend(broker, bad)
        assert answer.status_code == 400 and "days" in answer.json()["fields"], bad
    assert extend(factories.UserFactory(), {"days": 1}).status_code == 404  # not theirs to see
    asked = extend(business_member, {"days": 2, "note": "The policy needs a second draft"})
    assert asked.status_code == 200
    assert (asked.json()["extension_asked_days"], asked.json()["extra_days"]) == (2, 0)
    agreed = extend(vcs_member, {"days": 2})
    assert (agreed.json()["extension_asked_days"], agreed.json()["extra_days"]) == (None, 2)
    match.refresh_from_db()
    assert match.day_limit == 5
