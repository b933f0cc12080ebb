"""Journey 3 (a broker verifies a new organisation and applies an allocation plan line) and
journey 5 (every form shows GOV.UK-style errors for bad input and keeps what was typed)."""

import re

import pytest
from playwright.sync_api import expect

from brokerage.models import Match, Organisation, Skill
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in, watch
from tests.reference import load_reference_data


@pytest.fixture
def reference(transactional_db):
    load_reference_data()


def register(page, **overrides) -> None:
    values = {
        "Organisation name": "Tile Hill Tenants",
        "Organisation's contact email": "hi@tilehill.example",
        "Your first name": "Ada", "Your last name": "Jones", "Your email": "ada@tilehill.example",
        "Choose a username": "ada", "Choose a password": "Coventry-2026-tenants",
    } | overrides  # fmt: skip
    page.goto("/sign-up/")
    page.get_by_label("A charity or community group").check()
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Register").click()


def test_journey_3_broker_verifies_and_applies_an_allocation_line(
    browser, server_url, page, reference
):
    council = factories.CouncilFactory(name="Coventry City Council")
    broker = factories.MembershipFactory(organisation=council, user__username="priya").user
    newcomer_context = browser.new_context(base_url=server_url)
    newcomer_page = newcomer_context.new_page()
    register(newcomer_page)
    expect(newcomer_page.get_by_text("A council broker will check it")).to_be_visible()
    newcomer_context.close()
    newcomer = Organisation.objects.get(name="Tile Hill Tenants")
    assert newcomer.verification_status == Organisation.Verification.PENDING
    hr = Skill.objects.get(slug="hr-policy")
    offer = factories.OfferFactory(skills=[hr], title="HR clinic", remote_ok=True)
    need = factories.NeedFactory(skills=[hr], title="Staff handbook", remote_ok=True)
    sign_in(page, broker.username)

    page.get_by_role("link", name="Check and verify Tile Hill Tenants").click()
    page.get_by_role("heading", name="Check this registration").wait_for()
    page.get_by_role("button", name="Verify Tile Hill Tenants").click()
    page.get_by_text("Tile Hill Tenants is verified").wait_for()
    newcomer.refresh_from_db()
    assert newcomer.verification_status == Organisation.Verification.VERIFIED

    page.get_by_role("link", name="City-wide allocation plan").click()
    page.get_by_role("button", name="Compute a new plan").click()
    page.get_by_label("Apply HR clinic for Staff handbook").check()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Apply the chosen lines").click()
    page.get_by_text("1 match proposed").wait_for()

    made = Match.objects.get(offer=offer, need=need, status="proposed")
    page.wait_for_url(f"**/matches/{made.pk}/")  # the match made, not the dashboard
    page.get_by_role("heading", name="HR clinic for Staff handbook").wait_for()


def test_journey_5_need_form_errors_keep_what_was_typed(page, reference):
    charity = factories.VcsFactory()
    member = factories.MembershipFactory(organisation=charity, user__username="coord").user
    sign_in(page, member.username)
    page.goto("/needs/new/")
    page.get_by_label("What do you need help with?").fill("Help with our accounts")
    page.get_by_label("How many volunteer-days?").fill("lots")
    needed_by = page.get_by_role("group", name="Needed by")
    needed_by.get_by_label("Day").fill("1")
    needed_by.get_by_label("Month").fill("1")
    needed_by.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Save as a draft").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("There is a problem")).to_be_visible()
    for message in (
        "Choose a ward",
        "Choose at least one skill",
        "Volunteer-days must be a whole number, like 3",
        "The date must be today or in the future",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    assert page.locator(".govuk-error-message").count() >= 4
    assert page.get_by_label("What do you need help with?").input_value() == (
        "Help with our accounts"
    )  # kept
    assert page.get_by_label("How many volunteer-days?").input_value() == "lots"
    assert page.title().startswith("Error:")
    assert serious_accessibility_violations(page) == []


def test_journey_5_offer_form_errors(page, reference):
    business = factories.BusinessFactory()
    member = factories.MembershipFactory(organisation=business, user__username="hr").user
    sign_in(page, member.username)
    page.goto("/offers/new/")
    page.get_by_label("What can your people offer?").fill("Payroll help")
    page.get_by_role("group", name="Available from").get_by_label("Day").fill("31")
    page.get_by_role("button", name="Save as a draft").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter how many volunteers")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Enter how many volunteer-days you offer")
    ).to_be_visible()
    assert page.get_by_label("What can your people offer?").input_value() == "Payroll help"
    assert page.get_by_role("group", name="Available from").get_by_label("Day").input_value() == (
        "31"
    )


def test_journey_5_sign_up_errors_keep_what_was_typed(page, reference):
    register(page, **{"Your email": "not-an-email", "Choose a password": "password"})

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=re.compile("Enter an email address"))).to_be_visible()
    assert page.get_by_label("Organisation name").input_value() == "Tile Hill Tenants"
    page.get_by_label("Your email", exact=True).fill("ada@tilehill.example")
    page.get_by_label("Choose a password").fill("password")
    page.get_by_role("button", name="Register").click()
    expect(summary.get_by_role("link", name=re.compile("too common"))).to_be_visible()
    assert not Organisation.objects.filter(name="Tile Hill Tenants").exists()


def test_brokers_pages_are_for_brokers_only(page, reference):
    member = factories.MembershipFactory(user__username="someone").user
    sign_in(page, member.username)

    response = page.goto("/allocation/")

    assert response.status == 403


def test_a_broker_rejects_a_registration_with_a_reason_the_applicant_reads(
    browser, server_url, page, reference
):
    council = factories.CouncilFactory(
        name="Coventry City Council", contact_email="resilience@coventry.example"
    )
    factories.MembershipFactory(organisation=council, user__username="priya")
    applicant_context = browser.new_context(base_url=server_url)
    applicant = applicant_context.new_page()
    watch(applicant)
    register(applicant)
    applicant.goto("/dashboard/")
    notice = applicant.locator("[data-verification-notice]")
    notice.get_by_text("is waiting for a check by Coventry City Council").wait_for()
    assert "resilience@coventry.example" in notice.inner_text()

    sign_in(page, "priya")
    page.get_by_role("link", name="Check and verify Tile Hill Tenants").click()
    registrant = page.locator("[data-registrant]")
    registrant.get_by_text("ada@tilehill.example").wait_for()
    assert "None given" in registrant.inner_text()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Reject").click()  # no reason yet
    page.locator(".govuk-error-summary").get_by_text(
        "Say why the organisation is rejected"
    ).wait_for()
    page.get_by_label("Why is it rejected?").fill("We could not find a charity number")
    page.get_by_role("button", name="Reject").click()
    page.get_by_text("Tile Hill Tenants is rejected").wait_for()

    applicant.goto("/dashboard/")
    notice = applicant.locator("[data-verification-notice]")
    notice.get_by_text("We could not find a charity number").wait_for()
    applicant.get_by_role("link", name=re.compile("details, people and invitations")).click()
    applicant.locator("[data-rejection-reason]").get_by_text("could not find").wait_for()
    assert Organisation.objects.get(name="Tile Hill Tenants").verification_status == "rejected"
    assert problems(page) == [] and problems(applicant) == []
    applicant_context.close()
