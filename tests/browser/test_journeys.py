"""Journeys 1 and 2: a charity posts a need and sees suggested offers; a business offers
help from its offer's suggestions, the charity sees it arrive live and accepts; both see
the match accepted."""

import pytest

from brokerage import selectors
from brokerage.models import Match, MatchStatus, Need, Skill
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in
from tests.reference import load_reference_data


@pytest.fixture
def market(transactional_db):
    load_reference_data()
    hr = Skill.objects.get(slug="hr-policy")
    business = factories.BusinessFactory(name="Mercia Street Lighting")
    hr_lead = factories.MembershipFactory(organisation=business, user__username="hr.lead").user
    offer = factories.OfferFactory(
        organisation=business, skills=[hr], title="HR advice from our people team", remote_ok=True
    )
    charity = factories.VcsFactory(name="Foleshill Community Food Bank")
    coordinator = factories.MembershipFactory(organisation=charity, user__username="coord").user
    return {"offer": offer, "hr_lead": hr_lead, "coordinator": coordinator}


def post_need(page) -> Need:
    page.goto("/dashboard/")
    page.get_by_role("link", name="Ask for help").click()
    page.get_by_label("What do you need help with?").fill("HR policy for our volunteers")
    page.get_by_label("Ward", exact=True).select_option(label="Foleshill")
    page.get_by_label("Find a skill").fill("hr polic")  # the filter box opens the group
    page.get_by_label("HR policies and procedures", exact=True).check()  # essential
    # From another group, by hand (no filter): welcome, not essential.
    page.get_by_label("Find a skill").fill("")
    page.locator("summary", has_text="Marketing and communications").click()
    page.get_by_label("Social media", exact=True).check()
    page.get_by_label("Nice to have, not essential: Social media").check()
    page.get_by_label("How many volunteer-days?").fill("2")
    needed_by = page.get_by_role("group", name="Needed by")
    needed_by.get_by_label("Day").fill("31")
    needed_by.get_by_label("Month").fill("12")
    needed_by.get_by_label("Year").fill(str(__import__("datetime").date.today().year + 1))
    page.get_by_role("button", name="Save as a draft").click()
    page.get_by_text("Saved as a draft").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published. Suggestions are below.").wait_for()
    need = Need.objects.get(title="HR policy for our volunteers")
    essential = {row.skill.name: row.must_have for row in need.need_skills.select_related("skill")}
    assert essential == {"HR policies and procedures": True, "Social media": False}
    return need


def test_journey_1_charity_asks_a_suggested_business_which_accepts_live(
    browser, server_url, page, market
):
    business_context = browser.new_context(base_url=server_url)
    business = business_context.new_page()
    sign_in(business, market["hr_lead"].username)
    business.goto("/dashboard/")
    business.locator("body[data-notifications=live]").wait_for(state="attached")
    sign_in(page, market["coordinator"].username)

    need = post_need(page)

    assert need.status == "open" and need.ward == selectors.current_wards().get(name="Foleshill")
    card = page.locator(".govuk-summary-card", has_text="HR advice from our people team")
    card.wait_for()
    assert serious_accessibility_violations(page) == []
    card.get_by_role("button", name="Ask for help").click()  # another business's offer: no 404
    page.get_by_text("Waiting for Mercia Street Lighting to answer").wait_for()

    toast = business.locator("[data-toast]")  # the business, already signed in, is told live
    toast.get_by_role("link").wait_for()
    toast.get_by_role("link").click()
    business.get_by_role("button", name="Accept").click()
    business.locator("[data-match-status]", has_text="Accepted").wait_for()
    business.locator("[data-contacts]").get_by_text(market["coordinator"].email).wait_for()
    business.locator("[data-next-steps]").get_by_text("Book your volunteers").wait_for()
    # The next step and the history are on the page at once, not after a reload.
    business.get_by_role("heading", name="Volunteers booked").wait_for()
    business.locator("[data-history]").get_by_text("Accepted by both sides").wait_for()
    business.get_by_text("Accepted.").wait_for()  # and it says so

    page.reload()
    page.locator("[data-contacts]").get_by_text(market["hr_lead"].email).wait_for()
    page.locator("[data-next-steps]").get_by_text("Confirm the volunteers").wait_for()
    assert Match.objects.get(need=need).status == MatchStatus.ACCEPTED
    assert problems(page) == [] and problems(business) == []
    business_context.close()


def test_journey_2_business_offers_help_and_the_charity_accepts_live(browser, server_url, market):
    charity_context = browser.new_context(base_url=server_url)
    charity = charity_context.new_page()
    sign_in(charity, market["coordinator"].username)
    need = post_need(charity)
    charity.goto("/dashboard/")
    charity.locator("body[data-notifications=live]").wait_for(state="attached")

    business_context = browser.new_context(base_url=server_url)
    business = business_context.new_page()
    sign_in(business, market["hr_lead"].username)
    business.goto(f"/offers/{market['offer'].pk}/")
    card = business.locator(".govuk-summary-card", has_text="HR policy for our volunteers")
    card.get_by_role("button", name="Offer to help").click()
    business.get_by_text("Proposed 2 volunteer-days").wait_for()

    toast = charity.locator("[data-toast]")  # no reload: it arrives over the WebSocket
    toast.get_by_text("2 days proposed").wait_for()
    assert charity.locator("#navigation [data-unread-badge]").inner_text() != "0"
    toast.get_by_role("link").click()
    charity.get_by_role("button", name="Accept").click()
    charity.locator("[data-match-status]", has_text="Accepted").wait_for()

    match = Match.objects.get(need=need)
    assert match.status == MatchStatus.ACCEPTED
    business.reload()
    assert business.locator("[data-match-status]").inner_text() == "Accepted"
    assert problems(charity) == [] and problems(business) == []
    charity_context.close()
    business_context.close()
