"""The reports page a broker pastes into a committee paper: a Chart.js chart and the same
figures in a table, per grouping, with the CSV a click away."""

from playwright.sync_api import expect

from tests import factories
from tests.brokerage.test_reports import market  # noqa: F401 (a fixture)
from tests.browser.conftest import serious_accessibility_violations, sign_in


def test_broker_sees_the_report_by_ward_and_by_month(page, market):  # noqa: F811
    council = factories.CouncilFactory()
    broker = factories.MembershipFactory(organisation=council, user__username="priya").user
    sign_in(page, broker.username)

    page.get_by_role("link", name="Reports and social value").click()
    page.locator("body[data-chart=drawn]").wait_for(state="attached")  # Chart.js ran
    total = page.get_by_role("row", name="Total")
    assert "825.22" in total.inner_text() and "11.5" in total.inner_text()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="By month").click()
    expect(page.get_by_role("cell", name="2026-03", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report (CSV)").click()
    assert download.value.suggested_filename == "report-by-month.csv"


def test_a_charity_sees_only_its_own_report(page, market):  # noqa: F811
    member = factories.MembershipFactory(
        organisation=market["charity"], user__username="foodbank"
    ).user
    sign_in(page, member.username)
    page.goto("/reports/")

    expect(page.get_by_role("heading", name="Reports: Foleshill Food Bank")).to_be_visible()
