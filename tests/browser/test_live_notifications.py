"""The notification badge and toast update live over the WebSocket, without reloading."""

import json
import urllib.request

from knox.models import AuthToken
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import sign_in


def test_a_proposal_shows_up_live_on_the_charitys_page(page, server_url):
    charity = factories.VcsFactory(name="Foleshill Food Bank")
    coordinator = factories.MembershipFactory(organisation=charity, user__username="coord").user
    business = factories.BusinessFactory(name="Mercia Lighting")
    hr_lead = factories.MembershipFactory(organisation=business, user__username="hr").user
    skill = factories.SkillFactory()
    offer = factories.OfferFactory(organisation=business, skills=[skill], title="HR advice")
    need = factories.NeedFactory(organisation=charity, skills=[skill], title="HR policy")
    sign_in(page, coordinator.username)
    badge = page.locator("[data-unread-badge]")
    expect(badge).to_be_hidden()
    page.locator("body[data-notifications=live]").wait_for(state="attached")  # resumed

    token = AuthToken.objects.create(user=hr_lead)[1]
    request = urllib.request.Request(
        f"{server_url}/api/v1/matches/",
        data=json.dumps({"offer": offer.pk, "need": need.pk, "days": 2}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 201

    toast = page.locator("[data-toast]")
    toast.get_by_text("2 days proposed").wait_for()
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    assert "HR advice" in toast.inner_text() and "HR policy" in toast.inner_text()
