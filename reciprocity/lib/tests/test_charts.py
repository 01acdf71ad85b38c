"""The charts' own words and numbers follow the page's language (the SVG's geometry never does)."""

import re

from django.utils import translation

from reciprocity.lib.charts import loop, trajectory


def _chart() -> str:
    return trajectory([("1 Mar", 2.5), ("8 Mar", 12.25)], scale_range=(0, 20), zones=[], reliable_band=None, title="t")


def test_a_points_value_is_written_as_the_reader_writes_numbers():
    with translation.override("en-gb"):
        english = _chart()
    with translation.override("de"):
        german = _chart()
    assert "1 Mar: 2.5</title>" in english and "8 Mar: 12.25</title>" in english
    assert "1 Mar: 2,5</title>" in german and "8 Mar: 12,25</title>" in german
    assert german.count('cx="') == english.count('cx="') and 'cx="34.0"' in german  # coordinates keep their point


def test_the_loop_is_drawn_wide_and_stacked_for_a_phone_each_saying_everything():
    stages = [("Gives <you>", "1.0 of 4", "Low"), ("Well-being", "36%", "Poor"), ("Care", "24 h", "Within"),
              ("Outcomes", "40%", "Below the NHS standard (67%)")]  # fmt: skip
    drawn = str(loop(stages, title="The flywheel: all four"))
    wide, narrow = drawn.split("</svg>")[:2]
    assert 'class="chart loop loop-wide"' in wide and 'class="chart loop loop-narrow"' in narrow
    for svg in (wide, narrow):
        assert 'aria-label="The flywheel: all four"' in svg and svg.count('class="loop-node"') == 4
        assert "Gives &lt;you&gt;" in svg and "<you>" not in svg and "Below the NHS standard (67%)" in svg
    assert 'id="arrow"' in wide and 'id="arrow-narrow"' in narrow  # one id each in the page
    assert narrow.count('class="loop-arrow"') == 4 and 'viewBox="0 0 280 ' in narrow  # 3 down, 1 back up
    tops = [float(y) for y in re.findall(r'<rect class="loop-node" x="[\d.]+" y="([\d.]+)"', narrow)]
    assert tops == sorted(tops) and len(set(tops)) == 4  # one under the other
