"""Pages fit who is looking: a volunteer's dashboard is their volunteering, not the admin's; a
pending organisation is told about the check before it fills a form; a broker checks a
registration and rejects it with a reason the organisation then reads; once a match is
agreed, both sides see whom to contact and what comes next; error pages are the service's."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from brokerage.models import Assignment, Notification, Offer, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(business):
    record = factories.VolunteerFactory(
        organisation=business, user__username="tom", user__first_name="Tom"
    )
    return record


def test_a_volunteer_sees_their_leave_bookings_and_hours_not_the_admins_buttons(
    client, volunteer, business
):
    client.force_login(volunteer.user)
    page = client.get("/dashboard/").content.decode()

    assert f"Your volunteering with {business}" in page
    assert "Leave left this year" in page and "Paid" in page and "Unpaid" in page
    assert "Not booked on anything yet" in page and "No hours logged yet" in page
    assert "Offer your skills" not in page
    assert "(you are a member)" in page
    refused = client.get("/offers/new/", follow=True).content.decode()
    assert "Only a business&#x27;s administrators post offers" in refused


def test_a_volunteers_dashboard_leaves_out_the_companys_offers_and_says_when_work_is_done(
    client, volunteer, business, business_member
):
    offer = factories.OfferFactory(organisation=business, title="Payroll clinic")
    match = factories.AcceptedMatchFactory(offer=offer, need__title="Payroll for the pantry")
    day = timezone.localdate()
    Assignment.objects.create(
        match=match, volunteer=volunteer, first_day=day, last_day=day, days=1, leave_type="paid"
    )
    match.status = "completed"
    match.save()

    client.force_login(volunteer.user)
    page = client.get("/dashboard/").content.decode()
    assert "Your offers" not in page  # the admins' to run
    bookings = page.split("data-bookings")[1].split("</ul>")[0]
    assert "Payroll for the pantry" in bookings and ">Done<" in bookings
    assert ">Booked<" not in bookings  # the match is completed: not still "Booked"

    client.force_login(business_member)
    page = client.get("/dashboard/").content.decode()
    assert "Your offers" in page
    # A match row is opened by its title (it was only by its status tag).
    assert f'href="/matches/{match.pk}/" data-match-link>Payroll clinic</a>' in page


def test_only_a_business_admin_posts_offers_in_the_api(volunteer, business, business_member):
    body = {
        "organisation": business.pk,
        "title": "Payroll clinic",
        "description": "Help with payroll",
        "days_offered": 2,
        "volunteers": 1,
        "available_from": "2027-01-04",
        "available_until": "2027-03-31",
        "skills": [{"skill": factories.SkillFactory().slug}],
        "wards": [],
    }
    api = APIClient()
    api.force_authenticate(volunteer.user)
    refused = api.post("/api/v1/offers/", body, format="json")
    assert refused.status_code == 403, refused.json()
    assert not Offer.objects.filter(title="Payroll clinic").exists()
    api.force_authenticate(business_member)  # the business's administrator
    assert api.post("/api/v1/offers/", body, format="json").status_code == 201


def test_a_pending_organisation_is_told_about_the_check_before_filling_the_form(client, council):
    council.contact_email = "resilience@coventry.example"
    council.save()
    charity = factories.VcsFactory(pending=True, name="Tile Hill Tenants")
    member = factories.MembershipFactory(organisation=charity).user
    client.force_login(member)

    for path in ("/dashboard/", "/needs/new/"):
        page = client.get(path).content.decode()
        assert "Tile Hill Tenants is waiting for a check by Coventry City Council" in page, path
        assert "two working days" in page and "resilience@coventry.example" in page


def test_a_broker_checks_a_registration_and_rejects_it_with_a_reason(client, broker):
    charity = factories.VcsFactory(pending=True, name="Tile Hill Tenants", charity_number="")
    applicant = factories.MembershipFactory(
        organisation=charity, user__first_name="Ada", user__last_name="Lane"
    ).user
    client.force_login(broker)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Check and verify" in dashboard

    page = client.get(f"/organisations/{charity.pk}/").content.decode()
    assert "Check this registration" in page and "Ada Lane" in page and applicant.email in page
    assert "None given" in page  # no registration number: the broker is warned

    empty = client.post(f"/organisations/{charity.pk}/reject/", {"reason": "  "})
    assert "Say why the organisation is rejected" in empty.content.decode()
    charity.refresh_from_db()
    assert charity.verification_status == Organisation.Verification.PENDING

    client.post(f"/organisations/{charity.pk}/reject/", {"reason": "No Coventry address"})
    charity.refresh_from_db()
    assert charity.verification_status == Organisation.Verification.REJECTED

    client.force_login(applicant)
    theirs = client.get(f"/organisations/{charity.pk}/").content.decode()
    assert "The reason given: No Coventry address" in theirs
    assert "did not verify Tile Hill Tenants" in client.get("/dashboard/").content.decode()


def test_only_brokers_reject(client, vcs_member):
    charity = factories.VcsFactory(pending=True)
    client.force_login(vcs_member)
    assert client.post(f"/organisations/{charity.pk}/reject/", {"reason": "x"}).status_code == 403
    charity.refresh_from_db()
    assert charity.verification_status == Organisation.Verification.PENDING


def test_once_agreed_both_sides_see_whom_to_contact_and_what_comes_next(
    client, business, vcs, business_member, vcs_member
):
    need = factories.NeedFactory(organisation=vcs, days_needed=2, status="fully_matched")
    need.days_reserved = 2
    need.save()
    match = factories.AcceptedMatchFactory(offer__organisation=business, need=need, days=Decimal(2))
    for user, other, step in (
        (business_member, vcs_member, "Book your volunteers"),
        (vcs_member, business_member, "Confirm the volunteers"),
    ):
        client.force_login(user)
        page = client.get(f"/matches/{match.pk}/").content.decode()
        assert "Who to contact" in page and other.email in page, user
        assert step in page
    # The business still sees the need it is helping, although it is no longer open.
    client.force_login(business_member)
    assert client.get(f"/needs/{need.pk}/").status_code == 200


def test_a_proposal_does_not_yet_share_contacts(client, business, vcs, vcs_member):
    match = factories.MatchFactory(offer__organisation=business, need__organisation=vcs)
    client.force_login(vcs_member)
    page = client.get(f"/matches/{match.pk}/").content.decode()
    assert "Who to contact" not in page


def test_error_pages_are_the_services_with_a_way_back(client, volunteer, settings):
    settings.DEBUG = False
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert 'href="/"' in missing.content.decode()

    client.force_login(volunteer.user)
    for path in ("/allocation/", "/wards/", "/audit/"):
        denied = client.get(path)
        assert denied.status_code == 403
        assert "You cannot see this page" in denied.content.decode()
        assert "govuk-header" in denied.content.decode()  # styled, not a bare "403 Forbidden"


def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("images/favicon.svg")


def test_the_inbox_filters_by_kind_and_unread_and_pages(client, vcs_member):
    for number in range(30):
        Notification.objects.create(
            recipient=vcs_member,
            kind="need_published" if number % 3 else "match_proposed",
            text=f"Item {number}",
            subject_type="need",
            subject_id=1,
            read_at=timezone.now() if number < 5 else None,
        )
    client.force_login(vcs_member)
    first = client.get("/notifications/").content.decode()
    assert "<strong>30</strong> notifications" in first and "Page 1 of 2" in first
    assert "Item 29" in first and "Item 4" not in first  # newest first, 25 a page
    assert "Item 4" in client.get("/notifications/?page=2").content.decode()

    proposals = client.get("/notifications/?kind=match_proposed").content.decode()
    assert "<strong>10</strong> notifications" in proposals
    unread = client.get("/notifications/?unread=on").content.decode()
    assert "<strong>25</strong> notifications" in unread
    nothing = client.get("/notifications/?kind=member_joined").content.decode()
    assert "Nothing matches these filters" in nothing
    # An unknown kind or page is not an error: the filter is ignored, the last page shown.
    assert client.get("/notifications/?kind=burglary&page=99").status_code == 200

    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=vcs_member, read_at__isnull=True).exists()
