"""The Content-Security-Policy in a real browser: every main page, for each kind of user,
works under the strict policy (no inline script or style, nothing from elsewhere) and the
browser reports no violation. The map, the chart, GOV.UK's components, the live socket and
the API's Swagger UI keep working."""

from tests.browser.conftest import DESKTOP, RECORD_CSP_VIOLATIONS, main_pages, sign_in


def _context(browser, server_url, username=None):
    context = browser.new_context(base_url=server_url, viewport=DESKTOP)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if username:
        sign_in(page, username)
    return page


def _violations(page) -> list[str]:
    page.wait_for_timeout(100)  # violation events are queued as tasks
    return page.evaluate("window.cspViolations")


def test_every_main_page_keeps_to_the_policy_for_each_kind_of_user(browser, server_url, demo):
    for username, paths in main_pages().items():
        page = _context(browser, server_url, username)
        for path in paths:
            response = page.goto(path)
            refused = {"/no-such-page/": 404, "/allocation/": 403}.get(path, 200)
            expected = refused if username in (None, "volunteer") else 200
            assert response.status == expected, (username, path, response.status)
            policy = response.header_value("content-security-policy")
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
            assert _violations(page) == [], (username, path)
            if path == "/wards/":
                page.wait_for_selector("body[data-map=drawn]")
                assert page.locator("#ward-map path.leaflet-interactive").count() > 0
            if path == "/reports/":
                page.wait_for_selector("body[data-chart=drawn]")
            if path == "/dashboard/":
                # GOV.UK Frontend's module ran (the js-enabled marker came from a file).
                assert "govuk-frontend-supported" in page.evaluate("document.body.className")
        page.context.close()


def test_the_live_socket_and_htmx_work_under_the_policy(browser, server_url, demo):
    page = _context(browser, server_url, "charity")
    page.goto("/dashboard/")
    # A selector, not wait_for_function: Playwright polls a string predicate with eval(),
    # which this very policy forbids.
    page.wait_for_selector("body[data-notifications=live]", state="attached")
    page.goto("/needs/")
    page.get_by_label("Ward").select_option(index=1)  # htmx swaps the results in place
    page.wait_for_url("**/needs/?*")
    assert _violations(page) == []


def test_the_api_docs_render_their_operations_under_the_policy(browser, server_url, demo):
    page = _context(browser, server_url)
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.header_value("content-security-policy")
    page.wait_for_selector(".opblock-summary", timeout=15_000)
    assert page.locator(".opblock-summary").count() > 20
    assert _violations(page) == []


def test_an_inline_script_put_into_a_page_does_not_run(browser, server_url, demo):
    """The policy's point: script that reaches the page's markup (a stored-XSS slip) is refused."""
    page = _context(browser, server_url)
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.ran === undefined")
    assert any(v.startswith("script-src") for v in _violations(page))
