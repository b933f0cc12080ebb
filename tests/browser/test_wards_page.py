"""The broker's ward table and map (Leaflet from npm, the project's ward boundaries)."""

from playwright.sync_api import expect

from brokerage import selectors
from brokerage.models import Skill
from brokerage.services import gap_cases
from tests import factories
from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.reference import load_reference_data


def test_ward_table_and_map_show_unmet_need(page, transactional_db):
    load_reference_data()
    foleshill = selectors.current_wards().get(name="Foleshill")
    plumbing = Skill.objects.get(slug="plumbing")
    factories.NeedFactory(ward=foleshill, skills=[plumbing], title="Leaking roof")  # no offer
    gap_cases.sweep()  # as the worker does: the unmet need gets its case
    broker = factories.MembershipFactory(
        organisation=factories.CouncilFactory(), user__username="priya"
    ).user
    sign_in(page, broker.username)

    page.get_by_role("link", name="Wards: needs, offers and unmet need on a map").click()

    page.locator("body[data-map=drawn]").wait_for(state="attached")
    assert page.locator("#ward-map path.leaflet-interactive").count() == 18  # every ward drawn
    row = page.get_by_role("row", name="Foleshill")
    expect(row).to_contain_text("1")
    assert row.locator("td").nth(2).inner_text() == "1"  # unmet
    # A key says what the shades mean (the map had none); the darkest is the most unmet.
    legend = page.locator("[data-map-legend]")
    expect(legend).to_contain_text("Unmet requests in a ward")
    expect(legend).to_contain_text("1 (the most)")
    assert serious_accessibility_violations(page) == []
