"""Screenshots of the main pages at phone and desktop widths, on the demo market.
`make screenshots` writes them to docs/screenshots/; a normal run writes to a temporary
folder (the pages must still render and pass the accessibility check)."""

import os
from pathlib import Path

import pytest

from brokerage.datasets.demo import seed_demo
from brokerage.models import Match, Membership, Need
from tests.browser.conftest import DESKTOP, PHONE, serious_accessibility_violations, sign_in
from tests.reference import load_reference_data


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # the demo is for the embedded mode only
    load_reference_data()
    seed_demo(password="correct horse battery staple")
    settings.DEBUG = False


def test_main_pages_at_phone_and_desktop_widths(browser, server_url, demo, tmp_path):
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    need = Need.objects.filter(title__icontains="volunteer rota").first() or Need.objects.first()
    charity = Membership.objects.filter(user__username="charity").first().organisation
    own_need = Need.objects.filter(organisation=charity).first()
    match = Match.objects.filter(need__organisation=charity).order_by("id").first()
    business = Membership.objects.filter(user__username="business").first().organisation
    pages = [
        ("home", "/", None),
        ("needs", "/needs/", None),
        ("need", f"/needs/{need.pk}/", None),
        ("sign-in", "/sign-in/", None),
        ("dashboard-charity", "/dashboard/", "charity"),
        ("dashboard-broker", "/dashboard/", "broker"),
        ("notifications", "/notifications/", "charity"),
        ("reports-broker", "/reports/", "broker"),
        ("allocation-broker", "/allocation/", "broker"),
        ("new-need-charity", "/needs/new/", "charity"),
        ("wards-broker", "/wards/", "broker"),
        ("sign-up", "/sign-up/", None),
        ("organisation-charity", f"/organisations/{charity.pk}/", "charity"),
        ("need-broker", f"/needs/{need.pk}/", "broker"),
        ("change-need-charity", f"/needs/{own_need.pk}/edit/", "charity"),
        ("match-charity", f"/matches/{match.pk}/", "charity"),
        ("dashboard-volunteer", "/dashboard/", "volunteer"),
        ("fitting-needs-volunteer", "/volunteering/needs/", "volunteer"),
        ("volunteers-business", f"/organisations/{business.pk}/volunteers/", "business"),
        ("social-value-business", f"/organisations/{business.pk}/social-value/", "business"),
        ("unmet-needs-broker", "/unmet-needs/", "broker"),
        ("audit-broker", "/audit/", "broker"),
        ("account-volunteer", "/account/", "volunteer"),
    ]
    for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        for name, path, username in pages:
            context = browser.new_context(base_url=server_url, viewport=viewport)
            page = context.new_page()
            if username:
                sign_in(page, username)
            response = page.goto(path)
            assert response.status == 200, (name, response.status)
            page.screenshot(path=folder / f"{name}-{width_name}.png", full_page=True)
            assert serious_accessibility_violations(page) == [], (name, width_name)
            context.close()

    assert len(list(folder.glob("*.png"))) >= 2 * len(pages)
