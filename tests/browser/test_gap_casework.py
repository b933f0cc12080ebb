"""Gap casework in the browser: a charity publishes a need nothing fits; the broker, already
signed in, is told live; takes the case, moves it along, hands it on and adds a note."""

import pytest

from brokerage.models import GapCase
from brokerage.services import listings
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def people(transactional_db):
    council = factories.CouncilFactory(name="Coventry City Council")
    priya = factories.MembershipFactory(organisation=council, user__username="priya").user
    factories.MembershipFactory(organisation=council, user__username="sam", user__first_name="Sam")
    charity = factories.MembershipFactory(
        organisation=factories.VcsFactory(name="Tile Hill Tenants"), user__username="coord"
    ).user
    return priya, charity


def test_a_broker_is_told_of_an_unmet_need_and_works_the_case(page, people):
    _, charity = people
    sign_in(page, "priya")
    page.locator("body[data-notifications=live]").wait_for(state="attached")
    need = factories.NeedFactory(
        organisation=charity.memberships.get().organisation, title="Fix the leaking roof",
        skills=[factories.SkillFactory(name="Roof repairs")], status="draft", published_at=None,
    )  # fmt: skip

    listings.publish_listing(listing=need, by=charity)  # commits: the worker's job runs

    page.locator("[data-toast]").get_by_text("Unmet: 'Fix the leaking roof'").wait_for()
    page.reload()
    page.get_by_role("link", name="Unmet needs: 1 open case").click()
    page.get_by_label("Nobody's yet").check()
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Fix the leaking roof").click()
    page.locator("[data-reason]").get_by_text("Roof repairs").wait_for()

    page.get_by_role("button", name="Take this case").click()
    page.get_by_text("The owner is set").wait_for()
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("What happened").fill("Asking the roofers' federation")
    page.get_by_role("button", name="Change the status").click()
    page.locator("[data-status]", has_text="In progress").wait_for()
    page.get_by_label("Owner").select_option(label="Sam")
    page.get_by_role("button", name="Set the owner").click()
    page.locator("[data-owner]", has_text="Sam").wait_for()
    page.get_by_label("Add a note").fill("Two firms may help in spring")
    page.get_by_role("button", name="Add the note").click()
    page.locator("[data-notes]").get_by_text("Two firms may help in spring").wait_for()
    page.get_by_label("Status").select_option(label="Resolved")
    page.get_by_role("button", name="Change the status").click()  # no note: refused
    page.locator(".govuk-error-message", has_text="Required to close a case").wait_for()

    case = GapCase.objects.get(need=need)
    assert (case.status, case.owner.username) == ("in_progress", "sam")
    assert serious_accessibility_violations(page) == []
    assert problems(page) == []
