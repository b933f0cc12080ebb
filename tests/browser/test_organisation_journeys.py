"""An organisation admin invites a colleague, who joins from the e-mailed link; a charity
changes and then closes its request for help."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from brokerage.models import ListingStatus, Membership, Need, Skill, Ward
from tests import factories
from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.reference import load_reference_data


@pytest.fixture
def reference(transactional_db):
    load_reference_data()


def test_an_admin_invites_a_colleague_who_joins_from_the_link(browser, server_url, page, reference):
    charity = factories.VcsFactory(name="Hillfields Youth Club")
    admin = factories.MembershipFactory(
        organisation=charity, role=Membership.Role.ADMIN, user__username="asha"
    ).user
    sign_in(page, admin.username)
    page.get_by_role("link", name=re.compile("details, people and invitations")).click()

    page.get_by_label("Their email address").fill("sam at example")
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=re.compile("Enter an email address"))).to_be_visible()
    assert page.get_by_label("Their email address").input_value() == "sam at example"
    page.get_by_label("Their email address").fill("sam@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to sam@example.org")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    link = re.search(r"https?://[^/]+(/invitations/\S+/)", mail.outbox[-1].body).group(1)
    newcomer = browser.new_context(base_url=server_url).new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Join Hillfields Youth Club")).to_be_visible()
    assert serious_accessibility_violations(newcomer) == []
    newcomer.get_by_label("Your first name").fill("Sam")
    newcomer.get_by_label("Your last name").fill("Okoro")
    newcomer.get_by_label("Choose a username").fill("sam")
    newcomer.get_by_label("Choose a password").fill("Hillfields-2026-youth")
    newcomer.get_by_role("button", name="Create account and join").click()

    expect(newcomer.get_by_text("You have joined Hillfields Youth Club")).to_be_visible()
    assert Membership.objects.filter(user__username="sam", organisation=charity).exists()
    newcomer.goto(link)  # the link works once
    expect(newcomer.get_by_text("already been used")).to_be_visible()
    newcomer.context.close()


def test_a_charity_changes_and_closes_its_request(page, reference):
    charity = factories.VcsFactory()
    member = factories.MembershipFactory(organisation=charity, user__username="coord").user
    need = factories.NeedFactory(
        organisation=charity,
        title="HR policy",
        ward=Ward.objects.get(gss_code="E05001222"),
        skills=[Skill.objects.get(slug="hr-policy")],
    )
    sign_in(page, member.username)
    page.goto(f"/needs/{need.pk}/")

    page.get_by_role("link", name="Change this request").click()
    title = page.get_by_label("What do you need help with?")
    assert title.input_value() == "HR policy"
    title.fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(
        page.locator(".govuk-error-summary").get_by_role(
            "link", name="Enter what you need help with"
        )
    ).to_be_visible()
    page.get_by_label("What do you need help with?").fill("HR policy for 40 volunteers")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="HR policy for 40 volunteers")).to_be_visible()

    page.get_by_role("button", name="Close this request").click()
    expect(page.get_by_text("Your request is closed")).to_be_visible()
    expect(page.get_by_role("button", name="Close this request")).to_have_count(0)
    assert Need.objects.get(pk=need.pk).status == ListingStatus.CLOSED
