"""The buttons of the scheme's own pages, clicked in the browser: a business admin adds a
volunteer, changes their skills and the leave policy; the charity confirms waiting hours from
its dashboard and filters its inbox, then marks it all read; a broker values a match."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.datasets.reference_data import load_measures
from brokerage.models import LeavePolicy, Membership, Notification, TimeEntry, User, Volunteer
from brokerage.services import assignments, hours
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def scheme(transactional_db):
    load_measures()
    business = factories.BusinessFactory(name="Mercia Street Lighting")
    factories.MembershipFactory(organisation=business, user__username="hr.lead")
    asha = factories.MembershipFactory(
        organisation=business, role=Membership.Role.MEMBER, user__username="asha",
        user__first_name="Asha",
    ).user  # fmt: skip
    factories.SkillFactory(name="Payroll")
    factories.SkillFactory(name="Bookkeeping")
    charity = factories.VcsFactory(name="Foleshill Community Food Bank")
    factories.MembershipFactory(organisation=charity, user__username="coord")
    council = factories.CouncilFactory(name="Coventry City Council")
    factories.MembershipFactory(organisation=council, user__username="broker")
    match = factories.AcceptedMatchFactory(
        offer__organisation=business, need__organisation=charity, need__title="Safe electrics"
    )
    return {"business": business, "asha": asha, "match": match}


def test_the_admin_runs_the_scheme_from_its_pages(page, scheme):
    business = scheme["business"]
    sign_in(page, "hr.lead")
    page.get_by_role("link", name="Volunteers", exact=True).click()
    page.get_by_label("Who").select_option(label="Asha")
    page.get_by_label("Skills they bring").select_option(label="Payroll")
    page.get_by_role("button", name="Add this volunteer").click()
    card = page.locator("[data-volunteer=asha]")
    card.get_by_text("Skills: Payroll").wait_for()
    assert serious_accessibility_violations(page) == []
    card.locator("summary", has_text="Change skills").click()
    card.get_by_label("Skills they bring").select_option(label="Bookkeeping")
    card.get_by_role("button", name="Save skills").click()
    page.locator("[data-volunteer=asha]").get_by_text("Skills: Bookkeeping").wait_for()
    assert list(Volunteer.objects.get(user=scheme["asha"]).skills.values_list("name", flat=True))

    page.get_by_role("link", name="Leave policy").click()
    page.get_by_label("Days of paid volunteering leave a year").fill("3")
    page.get_by_role("button", name="Save the leave policy").click()
    page.get_by_text("The leave policy is saved").wait_for()
    assert LeavePolicy.objects.get(organisation=business).paid_days == Decimal(3)
    assert problems(page) == []


def test_the_charity_confirms_from_its_dashboard_and_tidies_its_inbox(page, scheme):
    match = scheme["match"]
    tom = factories.VolunteerFactory(organisation=match.offer.organisation, user__first_name="Tom")
    hours.log_time(
        match=match, volunteer=tom, date=timezone.localdate() - dt.timedelta(days=1),
        hours=Decimal(3), leave_type="own_time", description="Rewired the hall", by=tom.user,
    )  # fmt: skip
    sign_in(page, "coord")
    waiting = page.locator("[data-waiting]")
    waiting.get_by_text("Rewired the hall").wait_for()
    waiting.get_by_role("button", name="Confirm the ticked hours").click()
    page.get_by_text("Confirmed 3 hours").wait_for()

    page.get_by_role("link", name="Notifications").click()
    page.get_by_label("Kind").select_option(label="Hours to confirm")
    page.get_by_label("Only unread").check()
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("logged 3 hours").wait_for()
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("Mark all as read").wait_for(state="detached")  # nothing unread now
    assert not Notification.objects.filter(recipient__username="coord", read_at=None).exists()
    assert problems(page) == []


def test_a_broker_values_a_match(page, scheme):
    sign_in(page, "broker")
    page.goto(f"/matches/{scheme['match'].pk}/")
    page.get_by_label("Counts as").select_option(
        label="Volunteering for VCSEs (practical help) (NT17)"
    )
    page.get_by_role("button", name="Save the valuation").click()
    page.get_by_text("The valuation is saved").wait_for()
    scheme["match"].refresh_from_db()
    assert scheme["match"].measure_kind == "volunteering"
    assert problems(page) == []


def test_a_booking_is_cancelled_and_mistaken_hours_withdrawn(page, browser, server_url, scheme):
    match = scheme["match"]
    tom = factories.VolunteerFactory(
        organisation=match.offer.organisation, user__username="tom", user__first_name="Tom"
    )
    today = timezone.localdate()
    booking = assignments.book(
        match=match, volunteer=tom, first_day=today, last_day=today + dt.timedelta(days=6),
        days=Decimal(1), leave_type="paid", by=User.objects.get(username="hr.lead"),
    )  # fmt: skip
    hours.log_time(
        match=match, volunteer=tom, date=today, hours=Decimal(4), leave_type="own_time",
        description="Logged twice by mistake", by=tom.user,
    )  # fmt: skip

    sign_in(page, "hr.lead")
    page.goto(f"/matches/{match.pk}/")
    page.locator("summary", has_text="Cancel the booking of Tom").click()  # asks first
    page.get_by_role("button", name="Yes, cancel the booking of Tom").click()
    page.get_by_text("The booking is cancelled").wait_for()
    booking.refresh_from_db()
    assert booking.status == "cancelled"

    volunteer = browser.new_context(base_url=server_url).new_page()
    sign_in(volunteer, "tom")
    volunteer.goto(f"/matches/{match.pk}/")
    volunteer.get_by_role("button", name=re.compile("Withdraw the hours of")).click()
    volunteer.get_by_text("Those hours are withdrawn").wait_for()
    assert TimeEntry.objects.get().status == "withdrawn"
    assert problems(page) == [] and problems(volunteer) == []
    volunteer.context.close()
