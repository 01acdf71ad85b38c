"""The Content-Security-Policy in a real browser: no page, htmx swap or the API docs trips it.

Chromium reports every blocked script, style, eval, image or connection on the console as
"Refused to ..." or "... violates the following Content Security Policy directive ..."; any such line
fails the test. The tab enforces the policy (bypass_csp stays off).
"""

import re

import pytest

from tests.browser.conftest import DESKTOP, PASSWORD
from tests.browser.test_pages import FIRST_LINK, PAGES

DIMENSIONS = ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries")


class _PolicyWatch:
    """Records console messages and page errors that say the policy blocked something."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.refused: list[str] = []
        self.context = browser.new_context(viewport=DESKTOP, timezone_id="Europe/London", locale="en-GB")
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.refused.append(f"{self.page.url}: {error}"))

    def _guard(self, route) -> None:
        if route.request.url.startswith(self.base + "/") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.refused.append(f"request left the machine: {route.request.url}")
            route.abort()

    def _console(self, message) -> None:
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.refused.append(f"{self.page.url}: {text}")

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def watch(chromium, demo_site):
    watched = _PolicyWatch(chromium, demo_site)
    yield watched
    watched.context.close()


def _sign_in(watch: _PolicyWatch, username: str) -> None:
    watch.go("/accounts/login/")
    watch.page.fill("#id_username", username)
    watch.page.fill("#id_password", PASSWORD)
    watch.page.click("button[type=submit]")
    watch.page.wait_for_url(watch.base + "/")


# The sweep of every page and the check that proves it can fail read the demo only: the same markup on either
# database (every page's queries run on both in tests/test_isolation.py), so the PostgreSQL pass leaves them out.
@pytest.mark.engine_independent
def test_the_check_sees_a_violation_when_there_is_one(watch):
    """Without this, a console listener that never fires would pass every page."""
    _sign_in(watch, "sam")
    watch.page.evaluate("() => { const s = document.createElement('style'); s.textContent = 'p{}'; "
                        "document.head.appendChild(s); }")  # fmt: skip
    watch.page.wait_for_timeout(200)
    assert len(watch.refused) == 1 and "inline style" in watch.refused[0], watch.refused


@pytest.mark.engine_independent
def test_no_main_page_is_refused_anything(watch):
    _sign_in(watch, "sam")
    pages = list(PAGES)
    for name, (list_page, selector) in FIRST_LINK.items():
        watch.go(list_page)
        href = watch.page.locator(selector).first.get_attribute("href")
        pages.append("/measures" + href if name == "client-measures" else href)
    pages += ["/reports/monthly.html", "/api/v1/docs"]
    for path in pages:
        watch.go(path)
    assert watch.refused == []


def test_htmx_filters_and_a_saved_reflection_work_under_the_policy(watch):
    page = watch.page
    _sign_in(watch, "sam")
    href = page.locator("a[href^='/reflections/new/?session=']").first.get_attribute("href")
    watch.go(href)
    for rating, key in zip((3, 2, 4, 4, 1, 0, 2), DIMENSIONS, strict=True):
        page.locator(f"label[for=id_{key}_{rating}]").click()
    page.fill("#id_gave_me", "Policy check: the quiet after the session.")
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_url(watch.base + "/")
    assert "Reflection saved" in page.content()

    watch.go("/reflections/")
    with page.expect_response(lambda r: "/reflections/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#id_text").press_sequentially("quiet after", delay=30)  # keyup triggers the filter
    page.wait_for_url(re.compile(r"/reflections/\?.*text=quiet"))
    assert "quiet after the session" in page.locator("#results").inner_text()

    watch.go("/search/")
    with page.expect_response(lambda r: "/search/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#id_q").fill("evenings")
        page.keyboard.press("Enter")  # submit, which htmx takes over
    page.wait_for_load_state("networkidle")
    assert watch.refused == []


def test_the_api_docs_render_offline_under_the_policy(watch):
    _sign_in(watch, "sam")
    watch.go("/api/v1/docs")
    watch.page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert watch.page.locator(".swagger-ui .opblock").count() > 5
    watch.page.locator(".swagger-ui .opblock-summary").first.click()
    watch.page.wait_for_timeout(300)
    assert watch.refused == []


def test_the_invitation_link_selects_itself_without_an_inline_handler(watch):
    _sign_in(watch, "sam")
    watch.go("/supervision/")
    watch.page.get_by_role("button", name="Or make an invitation link").click()
    watch.page.wait_for_load_state("networkidle")
    field = watch.page.get_by_label("Invitation link")
    field.click()
    selected = watch.page.evaluate(
        "() => { const f = document.activeElement; return [f.selectionStart, f.selectionEnd, f.value.length]; }"
    )
    assert selected[0] == 0 and selected[1] == selected[2] > 20
    assert watch.refused == []
