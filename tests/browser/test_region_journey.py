"""Across the border, with three browsers open: a Coventry business says it works in Solihull
too; a Solihull charity in Meriden asks it for help from a suggestion; the business, signed
in, is told live and accepts; Solihull's broker is told and can open the match, Coventry's
cannot; the hours count on the business's Coventry contract and Coventry's return names the
Solihull ward; the region's broker sees both councils' wards on the map, and on a phone picks
the area and filters by council."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from brokerage.models import Council, Match, MatchStatus, Skill, Ward
from brokerage.services import hours, social_value
from tests import factories
from tests.browser.conftest import problems, sign_in
from tests.reference import load_reference_data

COVENTRY, SOLIHULL, WEST_MIDLANDS = "E08000026", "E08000029", "E47000007"


def _broker(code: str, username: str):
    team = factories.CouncilFactory(name=f"{code} brokers", council=Council.objects.get(pk=code))
    return factories.MembershipFactory(organisation=team, user__username=username).user


@pytest.fixture
def border(transactional_db):
    load_reference_data()
    brokers = {
        COVENTRY: _broker(COVENTRY, "coventry"),
        SOLIHULL: _broker(SOLIHULL, "solihull"),
        WEST_MIDLANDS: _broker(WEST_MIDLANDS, "region"),
    }
    websites = Skill.objects.get(slug="website-development")
    business = factories.BusinessFactory(
        name="Brightwire Digital", home_ward=Ward.objects.get(name="Bablake")
    )
    lead = factories.MembershipFactory(organisation=business, user__username="lead").user
    offer = factories.OfferFactory(
        organisation=business, skills=[websites], title="Websites for community groups"
    )
    offer.wards.add(Ward.objects.get(name="Meriden"), Ward.objects.get(name="Bablake"))
    contract = social_value.create_contract(
        organisation=business, by=brokers[COVENTRY], title="Council IT framework",
        starts_on=dt.date.today() - dt.timedelta(days=100),
        ends_on=dt.date.today() + dt.timedelta(days=900), committed_hours=Decimal(200),
    )  # fmt: skip
    hub = factories.VcsFactory(
        name="Meriden Village Hub", home_ward=Ward.objects.get(name="Meriden")
    )
    coordinator = factories.MembershipFactory(organisation=hub, user__username="hub").user
    need = factories.NeedFactory(
        organisation=hub, ward=Ward.objects.get(name="Meriden"), skills=[websites],
        title="A website people on both sides of the border can find",
    )  # fmt: skip
    return {
        "brokers": brokers, "business": business, "lead": lead, "offer": offer,
        "contract": contract, "coordinator": coordinator, "need": need,
    }  # fmt: skip


def test_a_solihull_charity_and_a_coventry_business_work_across_the_border(
    browser, server_url, page, border
):
    contexts = [browser.new_context(base_url=server_url) for _ in range(2)]
    business, solihull = (context.new_page() for context in contexts)
    sign_in(business, "lead")

    # The business says, on its own page, that it works in Solihull as well as Coventry.
    business.goto(f"/organisations/{border['business'].pk}/")
    business.get_by_role("link", name="Change its details").click()
    business.get_by_label("Solihull").check()
    business.get_by_role("button", name="Save changes").click()
    business.locator("[data-works-in]", has_text="Coventry and Solihull").wait_for()
    business.goto("/dashboard/")
    business.locator("body[data-notifications=live]").wait_for(state="attached")
    sign_in(solihull, "solihull")
    solihull.goto("/notifications/")
    solihull.locator("body[data-notifications=live]").wait_for(state="attached")

    # The charity in Meriden (Solihull) is suggested the Coventry business's offer.
    assert border["need"].ward.council_id == SOLIHULL
    sign_in(page, "hub")
    page.goto(f"/needs/{border['need'].pk}/")
    card = page.locator(".govuk-summary-card", has_text="Websites for community groups")
    card.get_by_role("button", name="Ask for help").click()
    page.get_by_text("Waiting for Brightwire Digital to answer").wait_for()

    # The business is told live and accepts.
    toast = business.locator("[data-toast]")
    toast.get_by_role("link").wait_for()
    toast.get_by_role("link").click()
    business.get_by_role("button", name="Accept").click()
    business.locator("[data-match-status]", has_text="Accepted").wait_for()
    match = Match.objects.get(need=border["need"])
    assert match.status == MatchStatus.ACCEPTED

    # Solihull's broker (the need's area) was told, and opens the match; Coventry's may not.
    solihull.reload()
    solihull.get_by_text(border["need"].title).first.wait_for()
    solihull.goto(f"/matches/{match.pk}/")
    solihull.locator("[data-match-status]", has_text="Accepted").wait_for()
    coventry = browser.new_context(base_url=server_url).new_page()
    sign_in(coventry, "coventry")
    assert coventry.goto(f"/matches/{match.pk}/").status == 404

    # Hours delivered in Meriden count on the Coventry contract, and Coventry's return says
    # where (logging and confirming on the pages is its own journey: test_delivery_journey).
    volunteer = factories.VolunteerFactory(organisation=border["business"])
    entry = hours.log_time(
        match=match, volunteer=volunteer, date=dt.date.today(), hours=Decimal(3),
        leave_type="own_time", description="Built the timetable page", by=volunteer.user,
    )  # fmt: skip
    hours.confirm_time(entry=entry, by=border["coordinator"])
    entry.refresh_from_db()
    assert entry.contract == border["contract"]
    coventry.goto("/reports/")
    with coventry.expect_download() as download:
        coventry.locator(f"[data-council-return={COVENTRY}]").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(r["council"], r["delivered_in_council"], r["delivered_in_ward"], r["hours"])
            for r in rows] == [("Coventry", "Solihull", "Meriden", "3.00")]  # fmt: skip

    # The region's broker sees both councils' wards on the ward map and table.
    region = browser.new_context(base_url=server_url).new_page()
    sign_in(region, "region")
    region.goto("/wards/")
    region.locator("#ward-map path.leaflet-interactive").first.wait_for()
    served = Ward.objects.filter(council_id__in=[COVENTRY, SOLIHULL]).count()
    assert region.locator("#ward-map path.leaflet-interactive").count() == served == 35
    assert region.locator("#ward-map path.app-council-border").count() == 2  # the borders
    region.get_by_text("thick blue lines are council borders").wait_for()

    # On a phone: the area picker and the needs list's council filter fit the screen.
    region.set_viewport_size({"width": 375, "height": 800})
    for path, control in (("/dashboard/", "Area"), ("/needs/", "Council")):
        region.goto(path)
        assert region.get_by_label(control, exact=True).is_visible()
        assert region.evaluate("document.documentElement.scrollWidth") <= 375
    region.get_by_label("Council", exact=True).select_option(SOLIHULL)
    region.get_by_role("button", name="Apply filters").click()
    region.wait_for_url(f"**council={SOLIHULL}**")
    assert region.get_by_label("Council", exact=True).input_value() == SOLIHULL
    assert region.evaluate("document.documentElement.scrollWidth") <= 375
    assert problems(page) == [] and problems(business) == [] and problems(region) == []
