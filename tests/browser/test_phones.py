"""On a phone no page scrolls sideways: every main page, as each kind of user, at 320 and
375 px wide (wide tables scroll inside their own box instead), and whatever people type
wraps."""

from tests.browser.conftest import main_pages, sign_in

WIDTHS = (320, 375)
# How far the document is wider than the window, in CSS pixels (0 when it fits).
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
LONG_WORD = "Community" * 6 + "Centre"  # 60 letters, no break


def _too_wide(browser, server_url, username, paths, width) -> list[str]:
    """Each of `paths`, as `username` (None: signed out) at `width` px, that scrolls sideways."""
    context = browser.new_context(base_url=server_url, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    if username:
        sign_in(page, username)
    found = []
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            found.append(f"{username or 'anonymous'} {path} at {width}px: +{overflow}px")
    context.close()
    return found


def test_no_main_page_scrolls_sideways_on_a_phone(browser, server_url, demo):
    too_wide = [
        line
        for username, paths in main_pages().items()
        for width in WIDTHS
        for line in _too_wide(browser, server_url, username, paths, width)
    ]
    assert too_wide == [], "\n".join(too_wide)


def test_a_long_unbroken_word_in_what_people_type_wraps_on_a_phone(browser, server_url, demo):
    from brokerage.models import Membership, Need

    assert len(LONG_WORD) == 60
    charity = Membership.objects.filter(user__username="charity").first().organisation
    need = Need.objects.filter(organisation=charity, status="open").order_by("id").first()
    need.title = f"Help with {LONG_WORD}"
    need.description = f"We need {LONG_WORD} and more."
    need.save()
    charity.name = f"The {LONG_WORD} Trust"
    charity.save()

    pages = {
        None: ["/needs/", f"/needs/{need.pk}/"],
        "charity": ["/dashboard/", f"/needs/{need.pk}/", f"/organisations/{charity.pk}/"],
        "broker": ["/dashboard/", "/needs/"],
    }
    too_wide = [
        line
        for username, paths in pages.items()
        for line in _too_wide(browser, server_url, username, paths, 320)
    ]
    assert too_wide == [], "\n".join(too_wide)


def test_on_a_phone_wide_tables_stack_or_say_they_scroll(browser, server_url, demo):
    """With JavaScript each row of a wide table stacks, each value beside its column's name,
    all on screen; without it the table scrolls in its box under a visible hint."""
    context = browser.new_context(base_url=server_url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, "business")
    page.goto("/dashboard/")
    status = page.locator("table:has([data-match-link]) tbody tr").first.locator("td").last
    assert status.get_attribute("data-label") == "Status"
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # on screen, not off to the side
    context.close()

    plain = browser.new_context(
        base_url=server_url, viewport={"width": 375, "height": 800}, java_script_enabled=False
    )
    page = plain.new_page()
    sign_in(page, "business")
    page.goto("/dashboard/")
    hint = page.evaluate(
        """getComputedStyle(document.querySelector('.app-table-scroll'), '::before').content"""
    )
    assert "Scroll sideways" in hint
    plain.close()
