"""Safeguarding in the browser: a business admin records a volunteer's DBS check on the
volunteers page, then books onto a youth club's request that needs an enhanced check with
barred lists: a colleague without a check is refused on the field; the checked one is
booked. The request's page says what check it needs."""

import datetime as dt

import pytest
from django.utils import timezone

from brokerage.models import Assignment, Volunteer
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def youth_match(transactional_db):
    business = factories.BusinessFactory(name="Three Spires Building Society")
    factories.MembershipFactory(organisation=business, user__username="hr.lead")
    for username, first in (("tom", "Tom"), ("ann", "Ann")):
        factories.VolunteerFactory(
            organisation=business, user__username=username, user__first_name=first
        )
    need = factories.NeedFactory(
        organisation=factories.VcsFactory(name="Hillfields Youth Club"),
        title="Mock interviews for school leavers",
        dbs_required="enhanced",
        dbs_barred_lists=True,
    )
    return factories.AcceptedMatchFactory(offer__organisation=business, need=need, days=3)


def _book(page, username: str) -> None:
    form = page.locator("details", has_text="Book a volunteer")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    who = Volunteer.objects.get(user__username=username)
    form.get_by_label("Volunteer").select_option(value=str(who.pk))
    form.get_by_label("On which leave?").select_option(label="Unpaid volunteering leave")
    form.get_by_label("How many days?").fill("1")
    today = timezone.localdate().isoformat()
    form.get_by_label("First day").fill(today)
    form.get_by_label("Last day").fill(today)
    form.get_by_role("button", name="Book this volunteer").click()


def test_an_admin_records_a_check_and_only_a_fitting_volunteer_is_booked(page, youth_match):
    sign_in(page, "hr.lead")
    page.goto(f"/organisations/{youth_match.offer.organisation_id}/volunteers/")
    tom = page.locator("[data-volunteer=tom]")
    tom.locator("summary", has_text="Record a DBS check").click()
    tom.get_by_label("DBS check").select_option(label="Enhanced")
    tom.get_by_label("Includes the barred lists").check()
    issued = timezone.localdate() - dt.timedelta(days=200)
    tom.get_by_label("Issued on").fill(issued.isoformat())
    tom.get_by_role("button", name="Save the DBS check").click()
    page.get_by_text("The DBS check of Tom is saved").wait_for()
    page.locator(
        "[data-volunteer=tom] [data-dbs]", has_text="enhanced with barred lists"
    ).wait_for()
    assert serious_accessibility_violations(page) == []

    page.goto(f"/needs/{youth_match.need_id}/")
    page.locator("[data-dbs-required]", has_text="enhanced DBS check with barred lists").wait_for()
    page.goto(f"/matches/{youth_match.pk}/")
    _book(page, "ann")
    page.locator(".govuk-error-message", has_text="Ann has no DBS check recorded").wait_for()
    assert not Assignment.objects.exists()
    _book(page, "tom")
    page.get_by_text("is booked for 1").wait_for()
    assert Assignment.objects.get().volunteer.user.username == "tom"
    assert problems(page) == []
