"""What a first visit to a page costs: requests, bytes on the wire, and time to first contentful paint.

Shared by the browser test that enforces the budget and by `make bench`, which reports it.
"""

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
    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0", timeout=10_000)
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
    context.close()
    return FirstLoad(
        requests=len(finished),
        js_css_bytes=sum(size for kind, size in finished if kind in {"script", "stylesheet"}),
        total_bytes=sum(size for _, size in finished),
        first_contentful_paint_ms=paint,
    )
