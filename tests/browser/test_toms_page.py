"""A broker keeps a contract's TOMs figures from the business's social value page: sets a
commitment under a measure and records donated equipment; the business's admin, signed in
at the same time, sees the return by measure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.datasets.reference_data import load_measures
from brokerage.models import Contribution
from brokerage.services import social_value
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def contract(transactional_db):
    load_measures()
    council = factories.CouncilFactory(name="Coventry City Council")
    broker = factories.MembershipFactory(organisation=council, user__username="priya").user
    business = factories.BusinessFactory(name="Mercia Street Lighting")
    factories.MembershipFactory(organisation=business, user__username="hr.lead")
    return social_value.create_contract(
        organisation=business, by=broker, title="Street lighting PFI",
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=3000), committed_hours=Decimal(500),
    )  # fmt: skip


def test_a_broker_sets_a_commitment_and_records_equipment(browser, server_url, contract):
    url = f"/organisations/{contract.organisation_id}/social-value/"
    pages = []
    for username in ("priya", "hr.lead"):
        page = browser.new_context(base_url=server_url).new_page()
        page.set_default_timeout(10_000)
        sign_in(page, username)
        pages.append(page)
    broker, admin = pages

    broker.goto(url)
    commit = broker.locator("[data-commit]")
    commit.locator("summary").click()
    commit.get_by_label("Measure", exact=True).select_option(
        label="Equipment or resources given to VCSEs, in £ (NT16)"
    )
    commit.get_by_label("A year (hours, or £ for £ measures)").fill("2000")
    commit.get_by_role("button", name="Set the commitment").click()
    broker.get_by_text("The commitment is set").wait_for()

    give = broker.locator("[data-give]")
    give.locator("summary").click()
    give.get_by_label("What was given").select_option(
        label="Equipment or resources given to VCSEs, in £ (NT16)"
    )
    give.get_by_label("Worth (£)").fill("650")
    give.get_by_label("Given on").fill(timezone.localdate().isoformat())
    give.get_by_label("What and for whom").fill("Six laptops for a digital skills class")
    give.get_by_role("button", name="Record the contribution").click()
    broker.get_by_text("Recorded: £650.00 under NT16").wait_for()
    assert Contribution.objects.get().contract == contract

    admin.goto(url)
    line = admin.locator("[data-toms] [data-measure=NT16]")
    assert "£2000.00" in line.inner_text() and "£650.00" in line.inner_text()
    assert admin.locator("[data-commit]").count() == 0  # the business reads, brokers write
    assert serious_accessibility_violations(broker) == []
    for page in pages:
        assert problems(page) == []
        page.context.close()
