"""The notification badge and toast update live over the WebSocket, without reloading."""

import json
import urllib.request

from knox.models import AuthToken
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import sign_in


def _a_charity_and_a_business():
    """The charity's coordinator, and a way for the business to propose to its need over
    the API (another process's change, told over the socket)."""
    charity = factories.VcsFactory(name="Foleshill Food Bank")
    coordinator = factories.MembershipFactory(organisation=charity, user__username="coord").user
    business = factories.BusinessFactory(name="Mercia Lighting")
    hr_lead = factories.MembershipFactory(organisation=business, user__username="hr").user
    skill = factories.SkillFactory()
    offer = factories.OfferFactory(organisation=business, skills=[skill], title="HR advice")
    need = factories.NeedFactory(organisation=charity, skills=[skill], title="HR policy")

    def propose(server_url: str) -> None:
        token = AuthToken.objects.create(user=hr_lead)[1]
        request = urllib.request.Request(
            f"{server_url}/api/v1/matches/",
            data=json.dumps({"offer": offer.pk, "need": need.pk, "days": 2}).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 201

    return coordinator, propose


def test_a_proposal_shows_up_live_on_the_charitys_page(page, server_url):
    coordinator, propose = _a_charity_and_a_business()
    sign_in(page, coordinator.username)
    badge = page.locator("#navigation [data-unread-badge]")  # the menu's (desktop)
    expect(badge).to_be_hidden()
    page.locator("body[data-notifications=live]").wait_for(state="attached")  # resumed

    propose(server_url)

    toast = page.locator("[data-toast]")
    toast.get_by_text("2 days proposed").wait_for()
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    assert "HR advice" in toast.inner_text() and "HR policy" in toast.inner_text()


def test_on_a_phone_the_count_shows_beside_the_menu_and_the_toast_can_be_dismissed(
    browser, server_url
):
    coordinator, propose = _a_charity_and_a_business()
    context = browser.new_context(base_url=server_url, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, coordinator.username)
    page.locator("body[data-notifications=live]").wait_for(state="attached")
    in_menu = page.locator("#navigation [data-unread-badge]")
    beside_menu = page.locator(".app-unread-phone [data-unread-badge]")

    propose(server_url)

    expect(beside_menu).to_have_text("1")
    expect(beside_menu).to_be_visible()  # not hidden in the collapsed menu
    expect(in_menu).not_to_be_visible()
    toast = page.locator("[data-toast]")
    toast.get_by_text("2 days proposed").wait_for()
    toast.get_by_role("button", name="Dismiss this notification").click()
    expect(toast.get_by_text("2 days proposed")).to_have_count(0)  # gone at once, not in 10 s
    context.close()
