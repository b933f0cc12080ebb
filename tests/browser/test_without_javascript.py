"""With JavaScript off, a refused form on a match is not a dead end: the page comes back at
the form's POST address, and its "Show the form" links still open the match page with that
form in place (they answered 405 before)."""

import pytest

from tests import factories
from tests.browser.conftest import sign_in


@pytest.fixture
def agreed(transactional_db):
    business = factories.BusinessFactory(name="Mercia Street Lighting")
    admin = factories.MembershipFactory(organisation=business, user__username="hr.lead").user
    factories.VolunteerFactory(organisation=business, user__username="tom", user__first_name="Tom")
    match = factories.AcceptedMatchFactory(offer__organisation=business, days=3)
    return {"match": match, "admin": admin}


def test_a_refused_booking_leads_on_to_logging_hours_without_javascript(
    browser, server_url, agreed
):
    context = browser.new_context(base_url=server_url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "hr.lead")
    match = agreed["match"]
    answers = []
    page.on("response", lambda r: answers.append(r.status))

    page.goto(f"/matches/{match.pk}/")
    booking = page.locator("details#book")
    booking.locator("summary").click()
    booking.get_by_role("link", name="Show the form").click()
    page.wait_for_url(f"**/matches/{match.pk}/?open=book#book")
    page.locator("details#book").get_by_label("How many days?").fill("")
    page.locator("details#book").get_by_role("button", name="Book this volunteer").click()
    page.wait_for_url(f"**/matches/{match.pk}/book/")  # refused: back at the POST address
    assert page.locator("details#book").get_by_text("Enter how many days").count() >= 1

    logging = page.locator("details#log")
    logging.locator("summary").click()
    logging.get_by_role("link", name="Show the form").click()
    page.wait_for_url(f"**/matches/{match.pk}/?open=log#log")
    assert page.locator("details#log").get_by_label("Hours").is_visible()
    assert 405 not in answers and not [status for status in answers if status >= 500]
