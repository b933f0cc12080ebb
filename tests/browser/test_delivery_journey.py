"""Journeys 2–4 in the browser, three people at once: the business admin books a volunteer
(past the leave left first: the error is on the field and nothing is booked); the volunteer
logs hours and the charity, already signed in, is told live; the charity queries one and
confirms the rest at once; the volunteer corrects the queried one; the charity confirms it;
both close; the charity leaves feedback with a consented story, shown on the need page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from brokerage.datasets.reference_data import load_measures
from brokerage.models import Assignment, Contract, MatchStatus, TimeEntry
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def agreed(transactional_db):
    load_measures()
    business = factories.BusinessFactory(name="Mercia Street Lighting")
    admin = factories.MembershipFactory(organisation=business, user__username="hr.lead").user
    tom = factories.VolunteerFactory(
        organisation=business, user__username="tom", user__first_name="Tom"
    )
    council = factories.CouncilFactory(name="Coventry City Council")
    factories.MembershipFactory(organisation=council, user__username="broker")
    Contract.objects.create(
        organisation=business, council=business.council, title="Street lighting PFI",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2035, 3, 31), committed_hours=Decimal(500),
    )  # fmt: skip
    charity = factories.VcsFactory(name="Foleshill Community Food Bank")
    coordinator = factories.MembershipFactory(organisation=charity, user__username="coord").user
    match = factories.AcceptedMatchFactory(
        offer__organisation=business,
        need__organisation=charity,
        need__title="Safe electrics in our hall",
        days=3,
    )
    return {"match": match, "admin": admin, "tom": tom, "coordinator": coordinator}


def _person(browser, server_url, username):
    context = browser.new_context(base_url=server_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, username)
    return page


def _book(page, days: str, today: dt.date) -> None:
    form = page.locator("details", has_text="Book a volunteer")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_label("On which leave?").select_option(label="Paid volunteering leave")
    form.get_by_label("How many days?").fill(days)
    form.get_by_label("First day").fill((today - dt.timedelta(days=1)).isoformat())
    form.get_by_label("Last day").fill((today + dt.timedelta(days=5)).isoformat())
    form.get_by_role("button", name="Book this volunteer").click()


def _log(page, hours: str, what: str, day: dt.date, *, expect="is asked to confirm them") -> None:
    form = page.locator("details", has_text="Log hours")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_label("Day the time was given").fill(day.isoformat())
    form.get_by_label("Hours", exact=True).fill(hours)
    form.get_by_label("On which leave?").select_option(label="Paid volunteering leave")
    form.get_by_label("What was done").fill(what)
    form.get_by_role("button", name="Log these hours").click()
    page.get_by_text(expect).first.wait_for()


def test_from_booking_to_confirmed_hours_and_a_published_story(browser, server_url, agreed):
    match, today = agreed["match"], timezone.localdate()
    url = f"/matches/{match.pk}/"
    charity = _person(browser, server_url, "coord")
    charity.goto("/dashboard/")
    charity.locator("body[data-notifications=live]").wait_for(state="attached")

    admin = _person(browser, server_url, "hr.lead")
    admin.goto(url)
    assert admin.get_by_text("days left").count() == 0  # the form comes when opened
    admin.locator("details", has_text="Book a volunteer").locator("summary").click()
    admin.locator("option", has_text="Tom (paid 2.00 days left").wait_for(state="attached")
    _book(admin, "3", today)
    admin.locator(".govuk-error-message").get_by_text("At most 15 hours (2.0 days)").wait_for()
    assert admin.get_by_label("How many days?").input_value() == "3"  # kept
    assert not Assignment.objects.exists()
    _book(admin, "2", today)
    admin.get_by_text("is booked for 2").wait_for()
    assert serious_accessibility_violations(admin) == []

    volunteer = _person(browser, server_url, "tom")
    volunteer.goto(url)
    _log(volunteer, "7", "Rewired the hall", today)
    toast = charity.locator("[data-toast]")  # told without reloading
    toast.get_by_text("logged 7 hours").wait_for()
    # A day holds 7.5 hours: 3 more on the same day are refused on the field.
    _log(
        volunteer,
        "3",
        "Tested every socket",
        today,
        expect="a volunteer gives at most 7.5 hours a day. Enter at most 0.5.",
    )
    assert TimeEntry.objects.count() == 1
    _log(volunteer, "3", "Tested every socket", today - dt.timedelta(days=1))

    charity.goto(url)
    tested = TimeEntry.objects.get(description="Tested every socket")
    entry = charity.locator(f"[data-entry='{tested.pk}']")
    entry.locator("summary").click()
    entry.get_by_label("What is wrong?").fill("Was it 2 hours?")
    entry.get_by_role("button", name="Query these hours").click()
    charity.get_by_text("Queried. The volunteer").wait_for()
    assert serious_accessibility_violations(charity) == []
    charity.get_by_role("button", name="Confirm the ticked hours").click()
    charity.get_by_text("Confirmed 7 hours").wait_for()

    volunteer.goto(url)
    volunteer.get_by_text("Queried: Was it 2 hours?").wait_for()
    correcting = volunteer.locator("details", has_text="Correct these hours")
    correcting.get_by_label("Hours", exact=True).fill("2")
    correcting.get_by_role("button", name="Send the corrected hours").click()
    volunteer.get_by_text("Sent again for confirmation").wait_for()

    charity.goto(url)
    charity.get_by_role("button", name="Confirm the ticked hours").click()
    charity.locator("[data-confirmed-hours]", has_text="9 hours").wait_for()

    # The work ran over: the business asks for a day more and the charity agrees.
    admin.goto(url)
    more = admin.locator("[data-extend]")
    more.locator("summary").click()
    more.get_by_label("How many more days?").fill("1")
    more.get_by_label("Why (optional)").fill("Testing took longer")
    more.get_by_role("button", name="Ask for more days").click()
    admin.get_by_text("Asked for 1 more days").wait_for()
    charity.goto(url)
    charity.locator("[data-extension-asked]", has_text="asked for 1 more day").wait_for()
    charity.locator("[data-extend]").get_by_role("button", name="Give more days").click()
    charity.get_by_text("The match now has 4 days").wait_for()
    match.refresh_from_db()
    assert (match.days, match.extra_days) == (3, 1)
    charity.get_by_text("Close: the work is done").click()  # asks first
    charity.get_by_role("button", name="Yes, close this match").click()
    charity.get_by_text("Closed for your side").wait_for()
    admin.goto(url)
    admin.get_by_text("Close: the work is done").click()
    admin.get_by_role("button", name="Yes, close this match").click()
    admin.get_by_text("Completed. Tell us how it went.").wait_for()
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED

    charity.goto(url)
    charity.get_by_label("5", exact=True).check()
    charity.get_by_label("IT made safe").check()
    charity.get_by_label("A short story (optional)").fill("The hall is safe to open again.")
    charity.get_by_label("The story may be shown on the public page of this request").check()
    charity.get_by_role("button", name="Send feedback").click()
    charity.get_by_text("Your feedback is saved").wait_for()
    charity.goto(f"/needs/{match.need.pk}/")
    charity.locator("[data-story]", has_text="The hall is safe to open again.").wait_for()

    # The broker sees the hours and their £ in the reports; the business in its statement.
    broker = _person(browser, server_url, "broker")
    broker.goto("/reports/")
    total = broker.locator("table").first.locator("tbody tr").last  # the total row
    assert "9.0" in total.inner_text()
    valued = TimeEntry.objects.filter(status="confirmed").aggregate(v=Sum("value"))["v"]
    assert valued > 0 and f"{valued:.2f}" in total.inner_text()
    admin.goto("/dashboard/")
    admin.get_by_role("link", name="Social value").click()
    statement = admin.locator("[data-statement]")
    statement.get_by_text("9.00").wait_for()
    assert serious_accessibility_violations(admin) == []
    for page in (charity, admin, volunteer, broker):
        assert problems(page) == [], page  # no console error, no 4xx/5xx on the way
        page.context.close()


def test_without_javascript_the_forms_open_as_a_page_and_still_work(browser, server_url, agreed):
    """The booking and logging forms come when their <details> opens (htmx); without
    JavaScript the link inside opens the page with the form in place."""
    match, today = agreed["match"], timezone.localdate()
    context = browser.new_context(base_url=server_url, java_script_enabled=False)
    volunteer = context.new_page()
    volunteer.set_default_timeout(10_000)
    sign_in(volunteer, "tom")
    volunteer.goto(f"/matches/{match.pk}/")

    logging = volunteer.locator("details", has_text="Log hours")
    logging.locator("summary").click()
    logging.get_by_role("link", name="Show the form").click()
    volunteer.wait_for_url(f"**/matches/{match.pk}/?open=log#log")
    _log(volunteer, "2", "Checked the fuse board", today)
    assert TimeEntry.objects.get().description == "Checked the fuse board"
    assert problems(volunteer) == []
