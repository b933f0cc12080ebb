"""Help: a guide per kind of user, a glossary whose figures are the ones the service uses
today, whom to contact (each served council's team), an accessibility statement, and a
footer that reaches them from every page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from brokerage.datasets.reference_data import load_measures
from brokerage.models import SocialValueMeasure, SocialValuePolicy
from tests import factories

pytestmark = pytest.mark.django_db
PAGES = [
    "/help/", "/help/charities/", "/help/businesses/", "/help/volunteers/", "/help/brokers/",
    "/help/glossary/", "/contact/", "/accessibility/",
]  # fmt: skip


def _text(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return re.sub(r"\s+", " ", response.content.decode())


def test_every_help_page_opens_signed_out_and_the_footer_reaches_them_all():
    for path in PAGES:
        page = _text(path)
        for linked in ("/help/", "/help/glossary/", "/contact/", "/accessibility/"):
            assert f'href="{linked}"' in page, (path, linked)
    assert 'href="/help/glossary/"' in _text("/sign-in/")  # and from the other pages


def test_a_guide_for_someone_else_is_not_found():
    assert Client().get("/help/aliens/").status_code == 404


def test_the_glossary_shows_the_rates_in_force_today(settings):
    load_measures()
    SocialValueMeasure.objects.create(
        code="NT17", name="Volunteering hours", kind="volunteering", rate=Decimal("18.50"),
        valid_from=dt.date(2027, 4, 1),
    )  # fmt: skip
    SocialValuePolicy.objects.create(credits_per_hour=Decimal("2.00"))
    settings.VOLUNTEER_DAY_HOURS = 7.0

    with time_machine.travel(dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC), tick=False):
        today = _text("/help/glossary/")
    with time_machine.travel(dt.datetime(2027, 4, 1, 12, tzinfo=dt.UTC), tick=False):
        next_year = _text("/help/glossary/")

    assert _rate(today, "NT15") == "£101.00"
    assert _rate(today, "NT17") == "£16.93"  # next year's rate is not yet in force
    assert _rate(next_year, "NT17") == "£18.50"
    assert "2 per hour" in today  # the service's credits policy
    assert "7 hours" in today  # a volunteer-day as configured
    for level in ("Basic", "Standard", "Enhanced"):
        assert f"<strong>{level}</strong>" in today


def _rate(page: str, code: str) -> str:
    row = re.search(rf"<td [^>]*>{code}</td>(.*?)</tr>", page).group(1)
    return re.findall(r"£[\d,.]+", row)[-1]


def test_contact_lists_the_teams_of_the_councils_served(settings):
    settings.COUNCILS = [factories.COVENTRY, factories.SOLIHULL]
    factories.CouncilFactory(
        name="Community Resilience Team", contact_email="resilience@coventry.example",
        council=factories.AuthorityFactory(gss_code=factories.COVENTRY),
    )  # fmt: skip
    factories.CouncilFactory(
        name="Solihull Stronger Communities", pending=True,
        council=factories.AuthorityFactory(gss_code=factories.SOLIHULL),
    )  # fmt: skip
    factories.CouncilFactory(
        name="Dudley Volunteering", council=factories.AuthorityFactory(gss_code="E08000027")
    )

    page = _text("/contact/")
    assert "Community Resilience Team" in page
    assert 'href="mailto:resilience@coventry.example"' in page
    assert "Solihull Stronger Communities" not in page  # not verified yet
    assert "Dudley Volunteering" not in page  # a council this service does not broker


def test_the_accessibility_statement_says_what_the_checks_cover():
    page = _text("/accessibility/")
    for fact in ("axe-core", "320", "375", "JavaScript switched off", "partially compliant"):
        assert fact in page
