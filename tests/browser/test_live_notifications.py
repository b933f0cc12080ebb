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


def test_a_business_proposes_with_a_message_and_the_charity_declines_saying_why(
    browser, server_url
):
    """Both browsers open: the business chooses the days and writes a message; the charity
    is told live, reads it, answers on the match's thread (the business is told live),
    declines with a reason; the business is told live why."""
    from brokerage.models import Match, Need

    coordinator, _ = _a_charity_and_a_business()
    need = Need.objects.get(title="HR policy")

    charity = browser.new_context(base_url=server_url).new_page()
    sign_in(charity, coordinator.username)
    charity.locator("body[data-notifications=live]").wait_for(state="attached")
    business = browser.new_context(base_url=server_url).new_page()
    sign_in(business, "hr")
    business.goto(f"/needs/{need.pk}/")
    business.get_by_text("Change the days, choose dates or add a message").click()
    business.get_by_label("Volunteer-days").fill("2")
    business.get_by_label("A message (optional)").fill("Two Fridays in the new year?")
    business.get_by_role("button", name="Offer to help with HR advice").click()
    business.get_by_text("They have been told").first.wait_for()
    business.locator("body[data-notifications=live]").wait_for(state="attached")

    toast = charity.locator("[data-toast]")
    toast.get_by_text("2 days proposed").wait_for()
    charity.goto(f"/matches/{Match.objects.get().pk}/")
    charity.locator("[data-proposal-note]").get_by_text("Two Fridays in the new year?").wait_for()
    charity.get_by_label("Your message").fill("Fridays are our busiest day, sorry.")
    charity.get_by_role("button", name="Send message").click()
    charity.locator("[data-messages]").get_by_text("Fridays are our busiest day").wait_for()
    business.locator("[data-toast]").get_by_text("Fridays are our busiest day").wait_for()
    # The business's match page, open all along, shows the reply in its thread too.
    business.locator("[data-messages]").get_by_text("Fridays are our busiest day").wait_for()
    charity.get_by_text("Decline this proposal").first.click()
    charity.get_by_role("button", name="Decline this proposal").click()  # no reason chosen
    charity.get_by_text("Choose why you are declining").first.wait_for()
    charity.get_by_label("The dates do not work for us").check()
    charity.get_by_role("button", name="Decline this proposal").click()
    charity.get_by_text("Why: The dates do not work for us.").wait_for()

    business.locator("[data-toast]").get_by_text("The dates do not work for us").wait_for()
    assert Match.objects.get().decline_reason == "dates"
