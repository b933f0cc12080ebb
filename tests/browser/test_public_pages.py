"""Journey 4 (an anonymous visitor browses needs with filters and cannot reach any dashboard)
and the sign-in form's GOV.UK error messages, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.reference import load_reference_data


@pytest.fixture
def needs_in_two_wards(transactional_db):
    load_reference_data()
    from brokerage import selectors
    from brokerage.models import Skill

    wards = {w.name: w for w in selectors.current_wards()}
    hr = Skill.objects.get(slug="hr-policy")
    charity = factories.VcsFactory(name="Foleshill Food Bank")
    factories.NeedFactory(
        organisation=charity, ward=wards["Foleshill"], skills=[hr], title="HR policy help"
    )
    factories.NeedFactory(
        organisation=charity, ward=wards["Earlsdon"], skills=[hr], title="Earlsdon volunteers"
    )
    return wards


def test_anonymous_visitor_filters_needs_without_reloading(page, needs_in_two_wards):
    page.goto("/needs/")
    expect(page.get_by_text("2 requests for help")).to_be_visible()

    page.get_by_label("Ward").select_option(label="Foleshill (Coventry)")  # two councils served

    page.get_by_text("1 request for help").wait_for()
    expect(page.get_by_role("link", name="HR policy help")).to_be_visible()
    assert page.get_by_role("link", name="Earlsdon volunteers").count() == 0
    assert re.search(r"ward=E05", page.url)  # the filtered view has its own address
    page.get_by_role("link", name="HR policy help").click()
    expect(page.get_by_role("heading", name="HR policy help")).to_be_visible()


def test_filters_work_without_javascript(browser, server_url, needs_in_two_wards):
    context = browser.new_context(base_url=server_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/needs/")
    page.get_by_label("Ward").select_option(label="Earlsdon (Coventry)")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_text("1 request for help")).to_be_visible()
    expect(page.get_by_role("link", name="Earlsdon volunteers")).to_be_visible()
    context.close()


@pytest.mark.parametrize("path", ["/dashboard/", "/notifications/"])
def test_anonymous_visitor_cannot_reach_a_dashboard(page, path):
    page.goto(path)

    assert "/sign-in/" in page.url
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_sign_in_errors_are_govuk_style_and_keep_what_was_typed(page):
    factories.UserFactory(username="coordinator")
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your username")).to_be_visible()
    expect(page.locator(".govuk-error-message").first).to_be_visible()
    assert page.title().startswith("Error:")

    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(summary.get_by_text("Enter a correct username and password")).to_be_visible()
    assert page.get_by_label("Username").input_value() == "coordinator"  # kept


def test_signed_in_member_lands_on_their_dashboard_and_signs_out(page):
    member = factories.MembershipFactory(
        organisation=factories.VcsFactory(name="Hillfields Youth Club"), user__username="youth"
    ).user
    sign_in(page, member.username)

    expect(page.get_by_role("heading", name="Hillfields Youth Club")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/dashboard/")
    assert "/sign-in/" in page.url


@pytest.mark.parametrize("path", ["/", "/needs/", "/sign-in/", "need"])
def test_public_pages_have_no_serious_accessibility_violations(page, needs_in_two_wards, path):
    if path == "need":
        from brokerage.models import Need

        path = f"/needs/{Need.objects.first().pk}/"
    page.goto(path)

    assert serious_accessibility_violations(page) == []


def test_a_visitor_searches_needs_by_what_people_call_a_skill(page, needs_in_two_wards):
    from brokerage.models import Skill

    factories.NeedFactory(
        ward=needs_in_two_wards["Earlsdon"], title="Our books in order",
        skills=[Skill.objects.get(slug="bookkeeping")],
    )  # fmt: skip
    page.goto("/needs/")
    expect(page.get_by_text("3 requests for help")).to_be_visible()

    page.get_by_label("Search").fill("xero")  # a synonym of Bookkeeping, in no title

    page.get_by_text("1 request for help").wait_for()  # results follow as you type
    expect(page.get_by_role("link", name="Our books in order")).to_be_visible()
    assert "q=xero" in page.url


def test_a_visitor_finds_help_from_the_footer(page, transactional_db):
    from brokerage.datasets.reference_data import load_measures

    load_measures()
    page.goto("/")
    footer = page.locator("footer")
    footer.get_by_role("link", name="How it works").click()
    page.get_by_role("link", name="How it works for charities and community groups").first.click()
    page.get_by_role("heading", name="How it works for charities and community groups").wait_for()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="volunteer-days").first.click()  # jargon links to its meaning
    page.get_by_role("heading", name="Glossary").wait_for()
    assert page.locator("#volunteer-day").is_visible()
    expect(page.locator("[data-measures]")).to_contain_text("NT15")
    assert serious_accessibility_violations(page) == []

    footer.get_by_role("link", name="Contact the council's team").click()
    page.get_by_role("heading", name="Contact the council's team").wait_for()
    footer.get_by_role("link", name="Accessibility statement").click()
    page.get_by_role("heading", name="Accessibility statement").wait_for()
    assert serious_accessibility_violations(page) == []
