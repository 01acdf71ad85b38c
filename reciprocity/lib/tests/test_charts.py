"""The charts' own words and numbers follow the page's language (the SVG's geometry never does)."""

from django.utils import translation

from reciprocity.lib.charts import trajectory


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
