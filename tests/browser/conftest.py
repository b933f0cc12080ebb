"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded
browser) against the ASGI app served by uvicorn on loopback, in a thread of this process so
it shares the test database.

Skipped, saying why, when Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) or the npm
packages are missing; `.ci/run` installs Chromium.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from brokerage.datasets.demo import seed_demo
from brokerage.models import Match, Membership, Need
from tests.live_server import wait_until_quiet
from tests.reference import load_reference_data

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    reason = None
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    elif not AXE.exists():
        reason = "needs the npm packages (npm ci)"
    if reason:
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module. Playwright's sync API keeps an event loop in this thread
    while it runs, so: Django's async-safety guard is lifted for these modules only (the
    ORM calls between browser steps are ordinary synchronous code), and Playwright stops at
    the module's end, before tests that need a thread without a loop."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def browser(chromium, server_url, transactional_db, settings):
    """The module's Chromium for one test. Afterwards every window the test opened is closed
    and the server has gone quiet before the tables are reset."""
    settings.SOCKET_WATCH_SECONDS = 0.2  # a short watcher round: quiet again soon
    yield chromium
    for context in chromium.contexts:
        context.close()
    wait_until_quiet()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def watch(page) -> None:
    """Record what a journey must not meet (see `problems`): a console error, an uncaught
    page error, or an answer of 400 or more to any request the page makes."""
    if hasattr(page, "problems"):
        return
    page.problems = []
    page.on(
        "console",
        lambda m: page.problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )


def problems(page) -> list[str]:
    """What `watch` saw on this page since it was signed in."""
    return list(getattr(page, "problems", []))


def sign_in(page, username: str, password: str = "correct horse battery staple") -> None:
    watch(page)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def serious_accessibility_violations(page) -> list[dict]:
    """axe-core (from npm) run in the page: violations of serious or critical impact."""
    # Evaluated through the DevTools protocol: an injected <script> tag would be refused by
    # the page's Content-Security-Policy, as it should be.
    page.evaluate(AXE.read_text() + "\n;undefined")
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}))"""
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


# Each Content-Security-Policy violation in the page, as "directive blocked-uri". The init
# script runs before the page's own and is not itself subject to the policy.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                            (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def demo(transactional_db, settings):
    """The demo market (`make run`'s), for tests that visit every main page."""
    settings.DEBUG = True  # the demo is for the embedded mode only
    load_reference_data()
    seed_demo(password="correct horse battery staple")
    settings.DEBUG = False


def main_pages() -> dict[str | None, list[str]]:
    """Every main page, by the demo user who opens it (None: signed out)."""
    need = Need.objects.filter(status="open").order_by("id").first()
    charity = Membership.objects.filter(user__username="charity").first().organisation
    own_need = Need.objects.filter(organisation=charity).order_by("id").first()
    match = Match.objects.filter(need__organisation=charity).order_by("id").first()
    business = Membership.objects.filter(user__username="business").first().organisation
    return {
        None: ["/", "/needs/", f"/needs/{need.pk}/", "/sign-in/", "/sign-up/", "/no-such-page/",
               "/password-reset/", "/password-reset/sent/", "/help/", "/help/charities/",
               "/help/businesses/", "/help/volunteers/", "/help/brokers/", "/help/glossary/",
               "/contact/", "/accessibility/"],
        "charity": ["/dashboard/", "/notifications/", "/needs/new/", f"/needs/{own_need.pk}/edit/",
                    f"/organisations/{charity.pk}/", f"/matches/{match.pk}/", "/account/"],
        "business": ["/dashboard/", f"/needs/{need.pk}/", "/offers/new/",
                     f"/organisations/{business.pk}/volunteers/",
                     f"/organisations/{business.pk}/leave-policy/",
                     f"/organisations/{business.pk}/social-value/"],
        "volunteer": ["/dashboard/", "/account/", "/allocation/", "/volunteering/needs/",
                      "/account/name/", "/account/email/", "/account/password/",
                      "/account/notifications/", "/volunteering/record/"],
        "broker": ["/dashboard/", "/reports/", "/allocation/", "/wards/", "/admin/", "/audit/",
                   "/unmet-needs/", f"/matches/{match.pk}/"],
    }  # fmt: skip
