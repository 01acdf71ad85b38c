"""Benchmarks of the foundation, each printed beside the baseline it is compared to in the same run.

Run with `make bench` (or `.venv/bin/python bench/run.py`); results are written to docs/benchmarks.md.
The app is the real server (`reciprocity serve`, gunicorn, 2 workers) on SQLite, filled with the demo practice.
"""

import datetime
import http.cookiejar
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from tests.browser.conftest import ARGS as CHROMIUM_ARGS  # noqa: E402
from tests.browser.conftest import PHONE  # noqa: E402
from tests.browser.weight import FirstLoad, first_load  # noqa: E402
from tests.servers import app_env, collected_once, run_cli, served_app  # noqa: E402

PASSWORD = "bench-demo-pass"  # noqa: S105 - a throwaway demo login
ROUNDS = 60
PAGES = ["/", "/sessions/", "/reflections/", "/dashboard/", "/clients/", "/more/"]
FLOOR_PAGE = "/more/"  # signed in, reads no clinical data: what every signed-in page costs before its own work
BASELINE_PAGE = "/accounts/login/"  # rendered by the same stack, without reading any clinical data
BUDGET_JS_CSS = 150 * 1024


def _signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    html = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": "sam", "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(base + "/accounts/login/", data=body, headers={"Referer": base}))
    return opener


def _latency(opener: urllib.request.OpenerDirector, url: str) -> tuple[float, float]:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        opener.open(url).read()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _first_load(base: str) -> FirstLoad:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", "sam")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        load = first_load(browser, base + "/", context.storage_state(), PHONE)
        browser.close()
    return load


def main() -> None:
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = run_cli(["migrate", "--no-input", "-v", "0"], app_env(Path(tmp) / "demo-timing"))
        assert result.returncode == 0, result.stderr
        migrate_s = time.perf_counter() - start
        start = time.perf_counter()
        result = run_cli(["demo", "--password", PASSWORD], app_env(Path(tmp) / "demo-timing"))
        assert result.returncode == 0, result.stderr
        demo_s = time.perf_counter() - start
        counts = re.search(r"Created .*?: (.*)\.", result.stdout).group(1)

        static = collected_once(Path(tmp) / "static-once")
        with served_app(Path(tmp) / "site", [(["demo", "--password", PASSWORD], "")], static=static) as (base, _env):
            base_p50, base_p95 = _latency(urllib.request.build_opener(), base + BASELINE_PAGE)
            opener = _signed_in_opener(base)
            rows = [(path, *_latency(opener, base + path)) for path in PAGES]
            first = _first_load(base)

    say("## The foundation: pages, page weight, set-up")
    say()
    say(f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; "
        "reproduce with `make bench` (writes this file).")  # fmt: skip
    say()
    say(f"### Page latency: demo therapist `sam`, SQLite, gunicorn with 2 workers, {ROUNDS} sequential requests each")
    say()
    say(
        f"Baseline in the same run: the sign-in page `{BASELINE_PAGE}`, signed out (same stack, no clinical data read)."
    )
    say()
    say("| page | p50 ms | p95 ms | p50 vs baseline |")
    say("|---|---:|---:|---:|")
    say(f"| `{BASELINE_PAGE}` (baseline) | {base_p50:.1f} | {base_p95:.1f} | 1.0× |")
    for path, p50, p95 in rows:
        say(f"| `{path}` | {p50:.1f} | {p95:.1f} | {p50 / base_p50:.1f}× |")
    say()
    say(f"`{FLOOR_PAGE}` lists the app's destinations and reads no clinical data: it is the floor of a signed-in "
        "page (the session, the account and its memberships read, the navigation drawn), against which each "
        "page's own work can be read.")  # fmt: skip
    say()
    say("### First load of Today at 390×844 (Chromium, cache disabled)")
    say()
    say("| requests | JS + CSS transferred | budget | all bytes transferred | first contentful paint |")
    say("|---:|---:|---:|---:|---:|")
    say(f"| {first.requests} | {first.js_css_bytes / 1024:.1f} KB | {BUDGET_JS_CSS / 1024:.0f} KB | "
        f"{first.total_bytes / 1024:.1f} KB | {first.first_contentful_paint_ms:.0f} ms |")  # fmt: skip
    say()
    say("### Setting up")
    say()
    say("| step | seconds |")
    say("|---|---:|")
    say(f"| `reciprocity migrate` on a new SQLite file | {migrate_s:.2f} |")
    say(f"| `reciprocity demo` ({counts}) | {demo_s:.2f} |")
    write_section("foundation", "\n".join(lines))


if __name__ == "__main__":
    main()
