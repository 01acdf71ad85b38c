"""Every main page: accessible (axe-core), phone-first (no sideways scroll at 390 px), light to load, and
refused nothing by the Content-Security-Policy with no script error (the tab watches both: conftest.Visit)."""

import pytest

from tests.browser.conftest import PHONE
from tests.browser.weight import first_load

PAGES = [
    "/", "/sessions/", "/sessions/new/", "/clients/", "/clients/new/", "/reflections/", "/reflections/new/",
    "/dashboard/", "/accounts/settings/", "/accounts/password/", "/sessions/techniques/", "/clients/concerns/",
    "/checkins/", "/checkins/who5/new/", "/measures/", "/measures/instruments/proqol5/", "/dashboard/flywheel/",
    "/export/", "/accounts/tokens/", "/import/", "/repertoire/", "/repertoire/new/",
    "/search/?q=I+can%27t+stop+working+in+the+evenings", "/supervision/", "/groups/", "/reports/", "/development/",
    "/development/support/", "/reports/monthly.html",
]  # fmt: skip
FIRST_LINK = {  # detail pages, found by following the first link of a list
    "session": ("/sessions/", "#sessions a[href^='/sessions/']"),
    "client": ("/clients/", "ul.list a[href^='/clients/']"),
    "reflection": ("/reflections/", "#results ul.list a[href^='/reflections/']"),
    "reflect-on-session": ("/", "a[href^='/reflections/new/?session=']"),
    "client-measures": ("/clients/", "ul.list a[href^='/clients/']"),
    "answers": ("/checkins/", "a[href^='/measures/answers/']"),
    "repertoire-item": ("/repertoire/", "main .list a[href^='/repertoire/']"),
    "supervision": ("/supervision/", "main .list a[href^='/supervision/']"),
}
SCREENSHOTS = {
    "/": "today",
    "/dashboard/": "dashboard",
    "/sessions/new/": "log-session",
    "/reflections/": "reflections",
    "/checkins/": "checkins",
    "/dashboard/flywheel/": "flywheel",
    "/repertoire/": "repertoire",
    "/search/?q=I+can%27t+stop+working+in+the+evenings": "search",
}


def _all_pages(visit) -> list[str]:
    pages = list(PAGES)
    for name, (list_page, selector) in FIRST_LINK.items():
        visit.go(list_page)
        href = visit.page.locator(selector).first.get_attribute("href")
        pages.append("/measures" + href if name == "client-measures" else href)
    return pages


# A sweep of the rendered markup that only reads the demo (the same pages on either database; every page's
# queries run on both in tests/test_isolation.py and tests/test_authorization.py): the PostgreSQL pass leaves it out.
@pytest.mark.engine_independent
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_main_page_has_no_serious_accessibility_violations(request, size, screenshot):
    visit = request.getfixturevalue(size)
    visit.go("/accounts/login/")
    problems = {"/accounts/login/": visit.axe_violations()}
    visit.sign_in("sam")
    for path in _all_pages(visit):
        visit.go(path)
        problems[path] = visit.axe_violations()
        if size == "phone":
            assert not visit.has_horizontal_scroll(), f"{path} scrolls sideways at 390 px"
            assert visit.inputs_a_phone_zooms_into() == [], path
        name = SCREENSHOTS.get(path) or ("reflect" if path.startswith("/reflections/new/?session=") else None)
        if path.startswith("/measures/clients/"):
            name = "client-measures"
        if name:
            screenshot(visit.page, f"{name}-{size}", full_page=size == "desktop")
    assert {path: found for path, found in problems.items() if found} == {}
    assert visit.errors == []  # and closing the tab fails the test on anything the policy refused


def test_charts_have_a_text_alternative(desktop):
    desktop.sign_in("alex")
    desktop.go("/dashboard/")
    charts = desktop.page.locator("svg[role=img]").all()
    assert len(charts) == 1 + 7  # the profile and one trend per dimension
    for svg in charts:
        name = svg.get_attribute("aria-label") or svg.locator("title").text_content()
        assert name and ("weekly mean" in name or "Mean rating per dimension" in name)
    assert desktop.page.locator("table th[scope=row]", has_text="Boundaries").count() == 2


def test_first_load_of_today_transfers_at_most_150_kb_of_js_and_css(chromium, phone):
    phone.sign_in("sam")
    load = first_load(chromium, phone.base + "/", phone.context.storage_state(), PHONE)
    assert load.requests >= 3, "the page, its stylesheet and its scripts"
    assert 0 < load.js_css_bytes <= 150 * 1024, f"{load.js_css_bytes} bytes of JS and CSS"


def test_the_directors_practice_view_is_accessible_and_names_only_who_consented(desktop, screenshot):
    desktop.sign_in("jo")
    desktop.go("/dashboard/practice/")
    assert desktop.axe_violations() == []
    assert "Sam Okafor" in desktop.page.content()  # the demo's therapists consented to be shown
    screenshot(desktop.page, "practice-desktop", full_page=True)
