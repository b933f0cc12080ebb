"""A person's own account in the browser: a forgotten password reset from the e-mailed link,
their name, e-mail and password changed, and how they hear from us; download their data,
close the account (a wrong password first); a broker reads and filters the audit log, where
the closing shows without their name."""

import json
import re

import pytest
from django.core import mail

from brokerage.models import AuditEntry, NotificationPreference, User
from brokerage.services import organisations
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in, watch

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def people(transactional_db):
    council = factories.CouncilFactory(name="Coventry City Council")
    broker = factories.MembershipFactory(organisation=council, user__username="broker").user
    charity = factories.VcsFactory(name="Foleshill Community Food Bank")
    sam = factories.MembershipFactory(
        organisation=charity,
        user__username="sam.okafor",
        user__first_name="Sam",
        user__last_name="Okafor",
    ).user
    organisations.reject_organisation(
        organisation=factories.VcsFactory(pending=True, name="Not Really A Charity"),
        by=broker,
        reason="No charity number and no Coventry address",
    )
    return {"broker": broker, "sam": sam}


def test_a_person_downloads_their_data_and_closes_their_account(page, people):
    sign_in(page, "sam.okafor")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("heading", name="Your account", exact=True).wait_for()
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").click()
    data = json.loads(download.value.path().read_text())
    assert data["account"]["last_name"] == "Okafor"
    assert data["memberships"][0]["organisation"] == "Foleshill Community Food Bank"

    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("I understand my account cannot be opened again").check()
    page.get_by_role("button", name="Close my account").click()
    page.locator(".govuk-error-summary").get_by_text("That is not your password").wait_for()
    assert User.objects.get(pk=people["sam"].pk).is_active

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand my account cannot be opened again").check()
    page.get_by_role("button", name="Close my account").click()
    page.get_by_text("Your account is closed").wait_for()
    assert page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in").count()
    assert User.objects.get(pk=people["sam"].pk).username == f"closed-{people['sam'].pk}"


def test_a_broker_filters_the_audit_log(page, people):
    sign_in(page, "broker")
    page.goto("/dashboard/")
    page.get_by_role("link", name="Audit log").click()
    table = page.locator("table[data-audit]")
    table.get_by_text("No charity number and no Coventry address").wait_for()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("What was done").select_option(label="Changed a leave policy")
    page.get_by_role("button", name="Filter").click()
    table.get_by_text("Nothing recorded that matches these filters").wait_for()

    page.get_by_label("What was done").select_option(label="Rejected an organisation")
    page.get_by_role("button", name="Filter").click()
    table.get_by_text("Not Really A Charity").wait_for()
    assert AuditEntry.objects.count() == 1


def _emailed_link(to: str) -> str:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    return re.search(r"https?://[^/\s]+(/\S+/)", message.body).group(1)


def test_a_person_resets_a_forgotten_password_then_changes_their_details(page, people):
    sam = people["sam"]
    watch(page)
    page.goto("/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("button", name="Send me a link").click()  # nothing typed: refused
    page.locator(".govuk-error-summary").get_by_text("Enter your e-mail address").wait_for()
    page.get_by_label("Your e-mail address").fill(sam.email)
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert serious_accessibility_violations(page) == []

    page.goto(_emailed_link(sam.email))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    page.get_by_text("Your password is changed. Sign in with the new one.").wait_for()
    sign_in(page, "sam.okafor", NEW_PASSWORD)

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Change your name").click()
    page.get_by_label("First name").fill("Samuel")
    page.get_by_role("button", name="Save my name").click()
    page.get_by_text("Samuel Okafor").wait_for()

    page.get_by_role("link", name="Change your e-mail address").click()
    page.get_by_label("New e-mail address").fill("samuel@foleshill.example")
    page.get_by_label("Your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_text("We sent a link to samuel@foleshill.example").wait_for()
    page.goto(_emailed_link("samuel@foleshill.example"))
    page.get_by_role("button", name="Use this address").click()
    page.get_by_text("Your e-mail address is now samuel@foleshill.example").wait_for()

    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(NEW_PASSWORD)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the new password again").fill(PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    page.get_by_text("Your password is changed. Everywhere else").wait_for()

    page.get_by_role("link", name="Change how you hear from us").click()
    page.get_by_label("Match proposed").select_option(label="On the site only")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_text("Your choices are saved.").wait_for()
    assert NotificationPreference.objects.get(user=sam, kind="match_proposed").delivery == "site"
    assert User.objects.get(pk=sam.pk).check_password(PASSWORD)
    # The empty request form answered 200 with its error; nothing else went wrong.
    assert problems(page) == []
