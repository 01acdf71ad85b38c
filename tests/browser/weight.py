"""What a first visit to a page costs: requests, bytes on the wire, and time to first contentful paint.

Shared by the browser test that enforces the budget and by `make bench`, which reports it.
"""

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class FirstLoad:
    requests: int
    js_css_bytes: int  # as transferred (compressed), response bodies only
    total_bytes: int
    first_contentful_paint_ms: float


def first_load(browser, url: str, storage_state: dict, viewport: dict) -> FirstLoad:
    """Load `url` in a fresh context (empty cache) that carries only the given cookies."""
    context = browser.new_context(storage_state=storage_state, viewport=viewport)
    page = context.new_page()
    finished: list[tuple[str, int]] = []

    def record(request) -> None:
        size = request.sizes()["responseBodySize"]
        if size < 0:  # unknown to the browser: fall back to what the server declared
            size = int((request.response().headers.get("content-length")) or 0)
        finished.append((request.resource_type, size))

    page.on("requestfinished", record)
    page.goto(url)
    page.wait_for_load_state("load")
    # Polled from here: wait_for_function polls inside the page with eval, which the page's CSP refuses.
    deadline = time.monotonic() + 10
    paint = -1
    while paint < 0 and time.monotonic() < deadline:
        paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
        if paint < 0:
            time.sleep(0.05)
    context.close()
    return FirstLoad(
        requests=len(finished),
        js_css_bytes=sum(size for kind, size in finished if kind in {"script", "stylesheet"}),
        total_bytes=sum(size for _, size in finished),
        first_contentful_paint_ms=paint,
    )
