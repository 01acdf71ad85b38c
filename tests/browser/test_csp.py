"""The Content-Security-Policy in a real browser: no htmx swap, script or the API docs trips it.

Every tab of the browser tests enforces the policy and fails its test if Chromium refuses anything
(tests.browser.conftest.Visit), so the sweeps of every main page in test_pages.py check each page under it;
here are the interactions beyond loading a page, and the proof that the check can fail.
"""

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import DESKTOP, PASSWORD, Visit

if TYPE_CHECKING:
    from playwright.sync_api import Response

DIMENSIONS = ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries")


class _Watch(Visit):
    """A desktop tab whose page loads wait until the network is quiet, so late refusals are seen too."""

    def go(self, path: str) -> "Response":
        response = super().go(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        self.page.wait_for_load_state("networkidle")
        return response


@pytest.fixture
def watch(chromium, demo_site):
    watched = _Watch(chromium, demo_site, DESKTOP)
    yield watched
    watched.close()


def _sign_in(watch: _Watch, username: str) -> None:
    watch.go("/accounts/login/")
    watch.page.fill("#id_username", username)
    watch.page.fill("#id_password", PASSWORD)
    watch.page.click("button[type=submit]")
    watch.page.wait_for_url(watch.base + "/")


# The check that proves it can fail reads the demo only: the same markup on either database, so the
# PostgreSQL pass leaves it out.
@pytest.mark.engine_independent
def test_the_check_sees_a_violation_when_there_is_one(watch):
    """Without this, a console listener that never fires would pass every page."""
    _sign_in(watch, "sam")
    watch.page.evaluate("() => { const s = document.createElement('style'); s.textContent = 'p{}'; "
                        "document.head.appendChild(s); }")  # fmt: skip
    watch.page.wait_for_timeout(200)
    assert len(watch.refused) == 1 and "inline style" in watch.refused[0], watch.refused
    watch.refused.clear()  # seen: closing the tab would fail the test on it


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
    assert watch.refused == [] and watch.errors == []


def test_the_api_docs_render_offline_under_the_policy(watch):
    _sign_in(watch, "sam")
    watch.go("/api/v1/docs")
    watch.page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert watch.page.locator(".swagger-ui .opblock").count() > 5
    watch.page.locator(".swagger-ui .opblock-summary").first.click()
    watch.page.wait_for_timeout(300)
    assert watch.refused == [] and watch.errors == []


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
    assert watch.refused == [] and watch.errors == []
