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
    """Four stages (name, value, band) drawn clockwise round a loop, arrows from each to the next."""
    width, height = 420, 300
    centres = [(210, 48), (340, 150), (210, 252), (80, 150)]
    parts = [
        f'<svg class="chart loop" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
        '<path class="loop-arrow" d="M270,60 Q330,70 335,110" marker-end="url(#arrow)"/>'
        '<path class="loop-arrow" d="M335,190 Q330,235 270,245" marker-end="url(#arrow)"/>'
        '<path class="loop-arrow" d="M150,245 Q90,235 85,190" marker-end="url(#arrow)"/>'
        '<path class="loop-arrow" d="M85,110 Q90,70 150,60" marker-end="url(#arrow)"/>'
    ]
    for (x, y), (name, value, band) in zip(centres, stages, strict=False):
        parts.append(f'<rect class="loop-node" x="{x - 75}" y="{y - 30}" width="150" height="60" rx="10"/>')
        parts.append(f'<text class="loop-name" x="{x}" y="{y - 10}" text-anchor="middle">{escape(name)}</text>')
        parts.append(f'<text class="loop-value" x="{x}" y="{y + 8}" text-anchor="middle">{escape(value)}</text>')
        parts.append(f'<text class="loop-band" x="{x}" y="{y + 23}" text-anchor="middle">{escape(band)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped


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
