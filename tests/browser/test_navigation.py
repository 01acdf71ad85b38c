"""The navigation in a real browser: a bottom bar for the thumb at 390 × 844, a sidebar at 1280 × 800.

Every page is at most two taps away on a phone: a bottom-bar destination, or More and then the destination.
"""

import re

import pytest

from tests.browser.conftest import Visit

# Reads the demo's pages, whose queries run on both databases in the authorization sweep.
pytestmark = pytest.mark.engine_independent

BOTTOM_BAR = {"Today": "/", "Reflect": "/reflections/new/", "Search": "/search/", "Flywheel": "/dashboard/flywheel/",
              "More": "/more/"}  # fmt: skip
WIDE = {"width": 1280, "height": 800}


def _links(nav) -> list[tuple[str, str]]:
    return [(a.get_attribute("href"), a.inner_text().strip()) for a in nav.get_by_role("link").all()]


def _all_pages(visit: Visit) -> list[tuple[str, str]]:
    visit.go("/more/")
    return _links(visit.page.get_by_role("navigation", name="All pages"))


def test_on_a_phone_the_bottom_bar_holds_five_and_the_sidebar_hides(phone):
    page = phone.page
    phone.sign_in("sam")
    bar = page.get_by_role("navigation", name="Primary")
    assert bar.is_visible()
    assert dict((text, href) for href, text in _links(bar)) == BOTTOM_BAR
    for link in bar.get_by_role("link").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, f"tap target too small: {box}"
    assert page.locator("nav.sidebar").is_hidden()
    assert page.get_by_role("navigation", name="Main").count() == 0  # hidden from assistive technology too
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # the bar never covers the end of a page: scrolled to the bottom, the last of the content sits above it
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    content_end = page.evaluate("document.querySelector('main').getBoundingClientRect().bottom")
    assert content_end <= bar.bounding_box()["y"] + 1

    # a keyboard user sees where they are in the bar
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('nav.tabbar')"):
            break
    else:
        raise AssertionError("Tab never reached the bottom bar")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_on_a_phone_every_page_is_two_taps_from_today(phone):
    page = phone.page
    phone.sign_in("sam")
    for text, path in BOTTOM_BAR.items():  # one tap
        phone.go("/")
        page.get_by_role("navigation", name="Primary").get_by_role("link", name=text, exact=True).click()
        page.wait_for_url(phone.base + path)
    destinations = _all_pages(phone)
    assert len(destinations) >= 14
    for href, text in destinations:  # two taps: More, then the destination
        phone.go("/")
        page.get_by_role("navigation", name="Primary").get_by_role("link", name="More", exact=True).click()
        page.wait_for_url(phone.base + "/more/")
        with page.expect_response(phone.base + href) as response:
            page.get_by_role("navigation", name="All pages").get_by_role("link", name=text, exact=True).click()
        assert response.value.status == 200, f"{text} ({href}) answered {response.value.status}"
        page.wait_for_url(phone.base + href)
        assert page.get_by_role("navigation", name="Primary").is_visible(), f"no bottom bar on {href}"
        assert not phone.has_horizontal_scroll(), f"{href} scrolls sideways at 390 px"
    # and signing out, too
    phone.go("/")
    page.get_by_role("navigation", name="Primary").get_by_role("link", name="More", exact=True).click()
    page.get_by_role("navigation", name="All pages").get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_the_more_page_is_accessible(phone, screenshot):
    phone.sign_in("sam")
    phone.go("/more/")
    assert phone.axe_violations() == []
    assert not phone.has_horizontal_scroll()
    screenshot(phone.page, "more-phone")


@pytest.fixture
def wide(chromium, demo_site):
    visit = Visit(chromium, demo_site, WIDE)
    yield visit
    visit.close()


def test_on_a_desktop_the_sidebar_lists_every_destination_and_the_bottom_bar_hides(wide):
    page = wide.page
    wide.sign_in("sam")
    sidebar = page.get_by_role("navigation", name="Main")
    assert sidebar.is_visible()
    assert page.locator("nav.tabbar").is_hidden()
    assert page.get_by_role("navigation", name="Primary").count() == 0
    main = page.locator("main").bounding_box()
    assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= main["x"], "the page sits beside it"
    listed = _links(sidebar)
    assert listed == _all_pages(wide)
    assert [href for href, _text in listed if href in BOTTOM_BAR.values()] == ["/", "/reflections/new/", "/search/",
                                                                              "/dashboard/flywheel/"]  # fmt: skip
    for href, text in listed:
        wide.go("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name=text, exact=True).click()
        page.wait_for_url(wide.base + href)
        current = page.get_by_role("navigation", name="Main").locator("[aria-current=page]")
        assert current.get_attribute("href") == href
    wide.go("/more/")
    assert wide.axe_violations() == []


def test_a_director_reaches_the_practice_in_two_taps(phone):
    page = phone.page
    phone.sign_in("jo")
    page.get_by_role("navigation", name="Primary").get_by_role("link", name="More", exact=True).click()
    page.get_by_role("navigation", name="All pages").get_by_role("link", name="Practice", exact=True).click()
    page.wait_for_url(phone.base + "/dashboard/practice/")
