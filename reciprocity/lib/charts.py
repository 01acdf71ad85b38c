"""Small SVG charts drawn on the server, so the same chart serves a web page and a PDF, with no script.

Every chart carries a <title> and the page shows the same numbers as a table: colour is never the
only carrier of meaning (the recent bar is solid, the baseline bar is outlined).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from reciprocity.lib.numbers import decimal_point, general, number


@dataclass(frozen=True)
class Bar:
    label: str
    recent: float | None
    baseline: float | None


def _num(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def profile_bars(bars: Sequence[Bar], *, scale_max: float = 4.0, title: str) -> SafeString:
    """Horizontal paired bars: solid = recent window, outlined = baseline; values on a 0–scale_max axis."""
    label_w, plot_w, row_h, top = 130, 230, 34, 8
    height = top + row_h * len(bars) + 24
    parts = [
        f'<svg class="chart" viewBox="0 0 {label_w + plot_w + 40} {height}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>'
    ]
    for tick in range(int(scale_max) + 1):
        x = label_w + plot_w * tick / scale_max
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 20}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{height - 6}" text-anchor="middle">{tick}</text>')
    for row, bar in enumerate(bars):
        y = top + row * row_h
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + 18}" text-anchor="end">{escape(bar.label)}</text>')
        for offset, value, css in ((3, bar.recent, "recent"), (17, bar.baseline, "baseline")):
            if _num(value):
                width = max(plot_w * value / scale_max, 1)
                parts.append(f'<rect class="{css}" x="{label_w}" y="{y + offset}" width="{width:.1f}" height="12"/>')
                parts.append(
                    f'<text class="value" x="{label_w + width + 4:.1f}" y="{y + offset + 10}">{number(value, 1)}</text>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def sparkline(values: Sequence[float | None], *, scale_max: float = 4.0, title: str) -> SafeString:
    """A line over weekly values on a 0–scale_max scale; weeks without data leave a gap, not a zero."""
    width, height, pad = 160, 40, 3
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    segments: list[list[str]] = [[]]
    dots = []
    for i, value in enumerate(values):
        if not _num(value):
            segments.append([])
            continue
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * value / scale_max
        segments[-1].append(f"{x:.1f},{y:.1f}")
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8"/>')
    lines = "".join(f'<polyline points="{" ".join(s)}"/>' for s in segments if len(s) > 1)
    return mark_safe(  # noqa: S308 - the title is escaped, the rest are numbers
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f'<line class="axis" x1="0" y1="{height - pad}" x2="{width}" y2="{height - pad}"/>{lines}{"".join(dots)}</svg>'
    )


@dataclass(frozen=True)
class Zone:
    """A horizontal band of a chart's scale, e.g. a severity band (darker = more severe)."""

    low: float
    high: float
    label: str
    shade: int  # 0 = lightest


def trajectory(
    scores: Sequence[tuple[str, float]],
    *,
    scale_range: tuple[float, float],
    zones: Sequence[Zone],
    reliable_band: tuple[float, float] | None,
    title: str,
) -> SafeString:
    """Scores over time (oldest first, labelled by date) on shaded severity bands; a dashed box marks the
    reliable-change band around the first score: a later point outside it changed reliably."""
    width, height, left, right, top, bottom = 360, 180, 34, 10, 8, 24
    low, high = scale_range
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    step = plot_w / max(len(scores) - 1, 1)
    parts = [f'<svg class="chart trajectory" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">']
    for zone in zones:
        top_y, bottom_y = y(min(zone.high, high)), y(max(zone.low, low))
        parts.append(
            f'<rect class="zone zone-{min(zone.shade, 4)}" x="{left}" y="{top_y:.1f}" width="{plot_w}" '
            f'height="{max(bottom_y - top_y, 0.5):.1f}"><title>{escape(zone.label)}</title></rect>'
        )
        parts.append(
            f'<text class="tick" x="{left - 4}" y="{bottom_y - 2:.1f}" text-anchor="end">{general(zone.low)}</text>'
        )
    if reliable_band is not None:
        band_low, band_high = max(reliable_band[0], low), min(reliable_band[1], high)
        parts.append(
            f'<rect class="reliable" x="{left}" y="{y(band_high):.1f}" width="{plot_w}" '
            f'height="{y(band_low) - y(band_high):.1f}"/>'
        )
    points = [(left + i * step, y(value)) for i, (_, value) in enumerate(scores)]
    if len(points) > 1:
        parts.append(f'<polyline points="{" ".join(f"{x:.1f},{py:.1f}" for x, py in points)}"/>')
    point = decimal_point()  # a year of weekly points: the language's mark looked up once
    for (x, py), (label, value) in zip(points, scores, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{py:.1f}" r="3"><title>{escape(label)}: {general(value, point=point)}</title>'
            "</circle>"
        )
    if scores:
        parts.append(f'<text class="tick" x="{left}" y="{height - 6}">{escape(scores[0][0])}</text>')
        parts.append(
            f'<text class="tick" x="{width - right}" y="{height - 6}" text-anchor="end">{escape(scores[-1][0])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped, the rest are numbers


def loop(stages: Sequence[tuple[str, str, str]], *, title: str) -> SafeString:
    """Four stages (name, value, band) drawn clockwise round a loop, arrows from each to the next: one drawing
    for a wide screen, and one stacked top to bottom for a phone, where the wide one's words would be 9 px
    (the stylesheet shows one of them; the other is hidden, also from screen readers)."""
    return mark_safe(_loop_wide(stages, title) + _loop_narrow(stages, title))  # noqa: S308 - every text is escaped


def _loop_marker(marker_id: str) -> str:
    return (
        f'<defs><marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
    )


def _loop_node(x: float, y: float, width: float, height: float, stage: tuple[str, str, str], line: float) -> str:
    """One stage's box, centred on (x, y), with its name, value and band on three lines `line` apart."""
    name, value, band = (escape(text) for text in stage)
    return (
        f'<rect class="loop-node" x="{x - width / 2:g}" y="{y - height / 2:g}" width="{width:g}" height="{height:g}" '
        f'rx="10"/><text class="loop-name" x="{x:g}" y="{y - line:g}" text-anchor="middle">{name}</text>'
        f'<text class="loop-value" x="{x:g}" y="{y + line * 0.8:g}" text-anchor="middle">{value}</text>'
        f'<text class="loop-band" x="{x:g}" y="{y + line * 2.3:g}" text-anchor="middle">{band}</text>'
    )


def _loop_wide(stages: Sequence[tuple[str, str, str]], title: str) -> str:
    centres = [(210, 48), (340, 150), (210, 252), (80, 150)]
    parts = [
        f'<svg class="chart loop loop-wide" viewBox="0 0 420 300" role="img" aria-label="{escape(title)}">',
        _loop_marker("arrow"),
        '<path class="loop-arrow" d="M270,60 Q330,70 335,110" marker-end="url(#arrow)"/>'
        '<path class="loop-arrow" d="M335,190 Q330,235 270,245" marker-end="url(#arrow)"/>'
        '<path class="loop-arrow" d="M150,245 Q90,235 85,190" marker-end="url(#arrow)"/>'
        '<path class="loop-arrow" d="M85,110 Q90,70 150,60" marker-end="url(#arrow)"/>',
        *(_loop_node(x, y, 150, 60, stage, 10) for (x, y), stage in zip(centres, stages, strict=False)),
        "</svg>",
    ]
    return "".join(parts)


def _loop_narrow(stages: Sequence[tuple[str, str, str]], title: str) -> str:
    """The stages one under the other, an arrow down from each, and one back up the right-hand side."""
    step, height = 92, 64
    tops = [8 + n * step for n in range(len(stages))]
    bottom = tops[-1] + height if tops else 8
    parts = [
        f'<svg class="chart loop loop-narrow" viewBox="0 0 280 {bottom + 8}" role="img" aria-label="{escape(title)}">',
        _loop_marker("arrow-narrow"),
        *(f'<path class="loop-arrow" d="M125,{top + height + 2} L125,{top + step - 3}" '
          'marker-end="url(#arrow-narrow)"/>' for top in tops[:-1]),
        f'<path class="loop-arrow" d="M245,{bottom - height / 2} Q272,{(bottom + 8) / 2} 245,{8 + height / 2}" '
        'marker-end="url(#arrow-narrow)"/>' if len(tops) > 1 else "",
        *(_loop_node(125, top + height / 2, 240, height, stage, 12) for top, stage in zip(tops, stages, strict=False)),
        "</svg>",
    ]  # fmt: skip
    return "".join(parts)


@dataclass(frozen=True)
class Course:
    """One client's first and latest score, and a class name for how it changed (e.g. "improved")."""

    label: str
    first: float
    latest: float
    kind: str


def jacobson_truax(
    courses: Sequence[Course],
    *,
    scale_range: tuple[float, float],
    threshold: float | None,
    cutoff: float | None,
    title: str,
) -> SafeString:
    """Jacobson–Truax plot: first score across, latest score up, one point per course; the diagonal is no
    change, the dashed band round it is ± the reliable-change threshold, and the cut-off is drawn both ways."""
    low, high = scale_range
    square = _Square(low, high)
    end = square.left + square.size
    parts = [
        f'<svg class="chart jt" viewBox="0 0 {end + 10} {square.bottom + 34}" role="img" aria-label="{escape(title)}">'
        f'<rect class="jt-frame" x="{square.left}" y="{square.top}" width="{square.size}" height="{square.size}"/>'
    ]
    if threshold is not None:
        parts.append(_reliable_band(square, threshold))
    parts.append(_line("jt-diagonal", square.x(low), square.y(low), square.x(high), square.y(high)))
    ticks = {low, high}
    if cutoff is not None and low < cutoff < high:
        ticks.add(cutoff)
        parts.append(_line("jt-cutoff", square.x(cutoff), square.top, square.x(cutoff), square.bottom))
        parts.append(_line("jt-cutoff", square.left, square.y(cutoff), end, square.y(cutoff)))
    parts.extend(_axes(square, sorted(ticks)))
    for course in courses:
        parts.append(
            f'<circle class="jt-point {escape(course.kind)}" cx="{square.x(course.first):.1f}" '
            f'cy="{square.y(course.latest):.1f}" r="4"><title>{escape(course.label)}: '
            f"{general(course.first)} → {general(course.latest)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels and class names are escaped, the rest are numbers


@dataclass(frozen=True)
class _Square:
    """The plot area of a Jacobson–Truax plot: the same scale across and up."""

    low: float
    high: float
    size: int = 300
    left: int = 40
    top: int = 8

    @property
    def bottom(self) -> int:
        return self.top + self.size

    def x(self, value: float) -> float:
        return self.left + self.size * (value - self.low) / (self.high - self.low)

    def y(self, value: float) -> float:
        return self.bottom - self.size * (value - self.low) / (self.high - self.low)


def _line(css: str, x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line class="{css}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def _axes(square: _Square, ticks: Sequence[float]) -> list[str]:
    middle_x, middle_y = square.left + square.size / 2, square.top + square.size / 2
    parts = []
    for value in ticks:
        x, y = square.x(value), square.y(value)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{square.bottom + 14}" text-anchor="middle">{general(value)}</text>'
        )
        parts.append(
            f'<text class="tick" x="{square.left - 4}" y="{y + 4:.1f}" text-anchor="end">{general(value)}</text>'
        )
    first, latest = escape(gettext("First score")), escape(gettext("Latest score"))
    parts.append(f'<text class="label" x="{middle_x}" y="{square.bottom + 30}" text-anchor="middle">{first}</text>')
    parts.append(
        f'<text class="label" x="12" y="{middle_y}" text-anchor="middle" '
        f'transform="rotate(-90 12 {middle_y})">{latest}</text>'
    )
    return parts


def _reliable_band(square: _Square, threshold: float) -> str:
    """The band |latest − first| < threshold inside the square, as one polygon (a hexagon, or the whole square)."""
    low, high = square.low, square.high
    t = min(threshold, high - low)
    corners = [(low, low), (low, low + t), (high - t, high), (high, high), (high, high - t), (low + t, low)]
    points = " ".join(f"{square.x(a):.1f},{square.y(b):.1f}" for a, b in corners)
    label = gettext("No reliable change: within ± {threshold} points of the diagonal").format(
        threshold=number(threshold, 1)
    )
    return f'<polygon class="jt-band" points="{points}"><title>{label}</title></polygon>'
