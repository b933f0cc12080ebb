"""Journey 6: a volunteer browses the requests that fit their skills and says they would
like to help; their business's admin, already signed in, is told live, opens the request
and offers the business's time from one of its offers."""

import re

import pytest

from brokerage.models import Interest, Match
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def people(transactional_db):
    business = factories.BusinessFactory(name="Mercia Street Lighting")
    factories.MembershipFactory(organisation=business, user__username="hr.lead")
    tom = factories.VolunteerFactory(
        organisation=business, user__username="tom", user__first_name="Tom"
    )
    payroll = factories.SkillFactory(name="Payroll")
    tom.skills.add(payroll)
    offer = factories.OfferFactory(organisation=business, title="Finance clinic", skills=[payroll])
    charity = factories.VcsFactory(name="Foleshill Community Food Bank")
    need = factories.NeedFactory(
        organisation=charity, title="Payroll for our staff", skills=[payroll]
    )
    return {"offer": offer, "need": need}


def test_a_volunteer_says_they_would_like_to_help_and_the_admin_offers(browser, server_url, people):
    admin_context = browser.new_context(base_url=server_url)
    admin = admin_context.new_page()
    sign_in(admin, "hr.lead")
    admin.goto("/dashboard/")
    admin.locator("body[data-notifications=live]").wait_for(state="attached")

    volunteer_context = browser.new_context(base_url=server_url)
    volunteer = volunteer_context.new_page()
    sign_in(volunteer, "tom")
    volunteer.goto("/dashboard/")
    volunteer.get_by_role("link", name="Requests for help that fit your skills").click()
    card = volunteer.locator("[data-fitting-need]", has_text="Payroll for our staff")
    card.get_by_text("Needs Payroll, which you have").wait_for()
    assert serious_accessibility_violations(volunteer) == []
    card.get_by_label("A note for your employer (optional)").fill("Free on Fridays")
    card.get_by_role("button", name="I would like to help").click()
    volunteer.get_by_text("You said you would like to help").wait_for()

    toast = admin.locator("[data-toast]")  # told without reloading
    toast.get_by_text("Tom would like to help").wait_for()
    admin.goto("/dashboard/")
    admin.locator("[data-interests]").get_by_text("Free on Fridays").wait_for()
    admin.locator("[data-interests]").get_by_role("link", name="Payroll for our staff").click()
    admin.get_by_role("button", name="Offer to help with Finance clinic").click()
    admin.get_by_text("They have been told").first.wait_for()
    assert Match.objects.filter(offer=people["offer"], need=people["need"]).exists()
    volunteer.reload()
    volunteer.get_by_role("button", name="Withdraw – Payroll for our staff").click()
    volunteer.get_by_text("Withdrawn: your employer no longer sees it").wait_for()
    assert Interest.objects.get().withdrawn_at is not None
    assert problems(admin) == [] and problems(volunteer) == []
    admin_context.close()
    volunteer_context.close()


def test_a_volunteer_offers_from_any_request_and_keeps_their_own_record(
    browser, server_url, people
):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from brokerage.models import Assignment, TimeEntry, Volunteer

    tom = Volunteer.objects.get(user__username="tom")
    other = factories.NeedFactory(
        organisation=people["need"].organisation, title="Paint the community hall"
    )  # needs no skill of Tom's: not in his list of fitting requests
    match = factories.AcceptedMatchFactory(offer=people["offer"], need=people["need"])
    Assignment.objects.create(
        match=match, volunteer=tom, first_day=dt.date(2027, 1, 14), last_day=dt.date(2027, 1, 14),
        days=1, leave_type="paid",
    )  # fmt: skip
    TimeEntry.objects.create(
        match=match, volunteer=tom, date=dt.date(2026, 11, 3), hours=Decimal("7.5"),
        leave_type="paid", description="Payroll set-up", status="confirmed", logged_by=tom.user,
        reviewed_by=tom.user, reviewed_at=timezone.now(),
    )  # fmt: skip

    admin_context = browser.new_context(base_url=server_url)
    admin = admin_context.new_page()
    sign_in(admin, "hr.lead")
    admin.goto("/dashboard/")
    admin.locator("body[data-notifications=live]").wait_for(state="attached")

    context = browser.new_context(base_url=server_url, accept_downloads=True)
    context.add_init_script("window.print = () => { window.printed = true; };")
    volunteer = context.new_page()
    sign_in(volunteer, "tom")
    volunteer.goto(f"/needs/{other.pk}/")
    volunteer.get_by_role("button", name="I would like to help").click()
    volunteer.get_by_text("You said you would like to help").wait_for()
    admin.locator("[data-toast]").get_by_text("Tom would like to help").wait_for()
    volunteer.get_by_role("button", name="Withdraw").click()
    volunteer.get_by_role("button", name="I would like to help").wait_for()

    volunteer.goto("/dashboard/")
    with volunteer.expect_download() as download:
        volunteer.get_by_role("link", name=re.compile("^Add to your calendar")).click()
    assert "BEGIN:VEVENT" in download.value.path().read_text()
    volunteer.get_by_text("See your bookings in your calendar app").click()
    feed = volunteer.locator("[data-calendar-feed] code").inner_text()
    assert "/calendar/" in feed and feed.endswith(".ics")

    volunteer.get_by_role("link", name="Your volunteering record").click()
    volunteer.locator("[data-total-hours]").get_by_text("7.5 hours").wait_for()
    assert serious_accessibility_violations(volunteer) == []
    volunteer.get_by_role("button", name="Print or save as PDF").click()
    assert volunteer.evaluate("window.printed") is True
    assert problems(admin) == [] and problems(volunteer) == []
