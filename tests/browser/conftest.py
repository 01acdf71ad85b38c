"""Browser tests: Playwright driving Debian's Chromium against the real server, filled with the demo practice.

Nothing may leave the machine: every request to another origin is blocked, recorded, and fails the test.
"""

import datetime
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyotp
import pytest

from tests.servers import Template, built_once, served_app, shared_by_run, start_in_background

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo-browser-pass"
_TOTP_KEYS: dict[str, str] = {}  # two-factor keys of demo people who set it up during this test run
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]  # fmt: skip


def _require(path: Path | str, what: str) -> None:
    if not (Path(path).exists() or shutil.which(str(path))):
        message = f"{what} is missing at {path}; `make test` installs it"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


# `reciprocity demo`, with the index reading the vectors of texts embedded before from tests/embeddings.py's cache.
DEMO = f"""
from django.core.management import call_command
from tests.embeddings import cached_embeddings
with cached_embeddings():
    call_command("demo", "--password", {PASSWORD!r})
"""


def demo_template(tmp_path_factory) -> Template:
    """The demo practice, built once for the run's test processes (about a minute when it embeds every entry)."""
    return built_once(shared_by_run(tmp_path_factory, "demo"), [(["shell", "-c", DEMO], "")])


def pytest_collection_finish(session) -> None:
    """Build the demo while the tests before the browser's run, instead of making them wait for it."""
    if any("demo_site" in item.fixturenames for item in session.items):
        start_in_background(lambda: demo_template(session.config._tmp_path_factory))


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory, static_files) -> Iterator[str]:
    """The demo practice served from a copy of one build shared by the run's test processes: each process
    serves its own copy (tests set up two-factor sign-in and write), and the demo is built only once."""
    template = demo_template(tmp_path_factory)
    data_dir = tmp_path_factory.mktemp("browser-site")
    with served_app(data_dir, static=static_files, template=template) as (base, _env):
        yield base


@pytest.fixture(scope="session")
def chromium():
    _require(CHROMIUM, "Chromium")
    _require(AXE, "axe-core")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser tab of one viewport that enforces the Content-Security-Policy (bypass_csp stays off) and
    records what it refused, and that blocks and records requests to other origins.

    Closing it fails the test if either happened; script errors are recorded in `errors` for tests to check.
    """

    def __init__(self, browser, base: str, viewport: dict) -> None:
        self.base = base
        self.outside: list[str] = []
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.width = viewport["width"]
        phone = viewport is PHONE  # a phone's browser: the page's viewport meta, touch, its own form controls
        self.context = browser.new_context(viewport=viewport, timezone_id="Europe/London", locale="en-GB",
                                           is_mobile=phone, has_touch=phone)  # fmt: skip
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))

    def _console(self, message) -> None:
        # Chromium's words for a blocked script, style, eval, image or connection: "Refused to ..." or
        # "... violates the following Content Security Policy directive ...".
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.refused.append(f"{self.page.url}: {text}")

    def _guard(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def sign_in(self, username: str = "sam") -> None:
        """Sign in through the pages; a supervisor or director of the demo practice also sets up two-factor
        sign-in the first time (its key is remembered for later sign-ins) and then enters a code."""
        self.page.goto(self.base + "/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        if self.page.url.endswith("/accounts/two-factor/"):
            _TOTP_KEYS[username] = self.page.locator("code.secret").inner_text().strip()
            self.page.fill("#id_code", pyotp.TOTP(_TOTP_KEYS[username]).now())
            self.page.get_by_role("button", name="Turn on two-factor sign-in").click()
            self.page.wait_for_load_state()
            self.page.goto(self.base + "/")
        elif self.page.url.endswith("/accounts/login/code/"):
            # the next step's code: the one of this step may have been used by the previous sign-in
            self.page.fill("#id_code", pyotp.TOTP(_TOTP_KEYS[username]).at(time.time() + 30))
            self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/")

    def go(self, path: str) -> "Response":
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
        return response

    def has_horizontal_scroll(self) -> bool:
        """Wider than the screen: a phone's browser lays such a page out wider and shrinks it to fit, so the
        width is compared with the screen's, not with the (widened) viewport's."""
        return self.page.evaluate("document.documentElement.scrollWidth") > self.width

    def inputs_a_phone_zooms_into(self) -> list[str]:
        """Text fields under 16 px: a phone's browser zooms the page in when one is tapped."""
        return self.page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => !['hidden', 'radio', 'checkbox', 'file', 'submit', 'button'].includes(e.type)
                         && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 16)
            .map(e => `${e.tagName.toLowerCase()}#${e.id || e.name} (${getComputedStyle(e).fontSize})`)""")

    def axe_violations(self, impacts=("serious", "critical")) -> list[str]:
        # Evaluated through the DevTools protocol: a <script> tag with axe inline would be refused by the
        # Content-Security-Policy, which these tabs enforce like any browser. Only violations are collected
        # in full (axe's resultTypes): the rules that pass are not listed, which halves the run.
        self.page.evaluate(AXE.read_text() + "\n;true")
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in impacts
        ]

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"requests left the machine: {self.outside}"
        assert self.refused == [], f"the Content-Security-Policy refused: {self.refused}"


def _visit(chromium, demo_site, viewport) -> Iterator[Visit]:
    visit = Visit(chromium, demo_site, viewport)
    yield visit
    visit.close()


@pytest.fixture
def phone(chromium, demo_site) -> Iterator[Visit]:
    yield from _visit(chromium, demo_site, PHONE)


@pytest.fixture
def desktop(chromium, demo_site) -> Iterator[Visit]:
    yield from _visit(chromium, demo_site, DESKTOP)


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., None]:
    """`screenshot(page, name, full_page=False)` saves the page as docs/screenshots/<name>.png when
    `make screenshots` sets SCREENSHOT_DIR; an ordinary test run takes none (a full-page picture costs the
    browser a few hundred milliseconds)."""
    chosen = os.environ.get("SCREENSHOT_DIR")

    def take(page: "Page", name: str, *, full_page: bool = False) -> None:
        if chosen:
            Path(chosen).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(chosen) / f"{name}.png", full_page=full_page)

    return take


def london_now_minus(hours: int) -> str:
    """A past moment as the datetime-local input of a demo therapist (Europe/London) expects it."""
    import zoneinfo

    moment = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")) - datetime.timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M")
