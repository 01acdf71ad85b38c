"""HTML to PDF with WeasyPrint, fetching nothing: every chart is inline SVG and every style inline CSS.

The same HTML is shown in the browser, where the Content-Security-Policy allows no inline style except
these exact stylesheets (INLINE_STYLES), named by their hashes.
"""

import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext

# The web pages style charts from reciprocity.css; WeasyPrint styles an SVG only from inside it, so each
# chart gets the same rules, with the colours written out.
CHART_RULES = (
    ".grid,.axis{stroke:#d5dee1}.tick,.value{fill:#5b6b73;font-size:11px}.label{fill:#1d2a33;font-size:11px}"
    ".recent{fill:#2f7d8c}.baseline{fill:none;stroke:#1d2a33;stroke-width:1.5;stroke-dasharray:3 2}"
    "polyline{fill:none;stroke:#1d2a33;stroke-width:2}circle{fill:#1d2a33}"
    ".reliable{fill:none;stroke:#2f7d8c;stroke-width:1.5;stroke-dasharray:4 3}"
    ".zone-0{fill:#eef6f0}.zone-1{fill:#f7f3e3}.zone-2{fill:#fbe9d7}.zone-3{fill:#f8dcd6}.zone-4{fill:#f2cbc6}"
    ".jt-frame{fill:none;stroke:#d5dee1}.jt-band{fill:#e3eef6;stroke:#2f7d8c;stroke-width:1;stroke-dasharray:4 3}"
    ".jt-diagonal{stroke:#1d2a33;stroke-width:1.5}.jt-cutoff{stroke:#5b6b73;stroke-width:1;stroke-dasharray:1 3}"
    ".jt-point{stroke-width:1.5}.jt-point.improved{fill:#2f7d8c;stroke:#2f7d8c}"
    ".jt-point.deteriorated{fill:#fff;stroke:#a8322d;stroke-width:2.5}"
    ".jt-point.no-reliable-change{fill:#5b6b73;stroke:#fff}.jt-point.not-judged{fill:none;stroke:#5b6b73}"
)
CHART_STYLE = f"<style>{CHART_RULES}</style>"
REPORT_STYLE = (Path(__file__).parent / "templates" / "reports" / "report.css").read_text()
INLINE_STYLES = (REPORT_STYLE, CHART_RULES)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")
# The words of each PDF page's footer; a browser shows no page boxes, so the web pages keep REPORT_STYLE as it is.
_FOOTER = '" · page " counter(page) " of " counter(pages)'
_COUNTERS = {"{page}": "counter(page)", "{pages}": "counter(pages)"}


class Offline(ValueError):
    pass


def _offline(url: str, *args: Any, **kwargs: Any) -> dict:
    raise Offline(f"A report fetches nothing, not even {url[:60]}")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def paged_style() -> str:
    """REPORT_STYLE with the page footer ("page 2 of 5") in the active language."""
    words = re.split(r"(\{pages?\})", gettext("page {page} of {pages}"))
    words[0] = " · " + words[0]
    footer = " ".join(_COUNTERS.get(w) or _css_string(w) for w in words if w)
    return REPORT_STYLE.replace(_FOOTER, footer)


def render_html(template: str, context: dict[str, Any], style: str = REPORT_STYLE) -> str:
    html = render_to_string(template, context | {"report_style": style})
    return _SVG_OPEN.sub(lambda m: m.group(1) + CHART_STYLE, html)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported when a report is asked for, not at start-up

    return HTML(string=render_html(template, context, paged_style()), url_fetcher=_offline).write_pdf()
