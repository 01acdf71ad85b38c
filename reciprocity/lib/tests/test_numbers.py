import pytest
from django.test import override_settings
from django.utils import translation

from reciprocity.lib.numbers import decimal_point, figure, general, number, percent, signed


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-gb", ["2.46", "-0.50", "+1.2", "37.5", "+0.053", "1.2e-05", "42"]),
     ("es", ["2,46", "-0,50", "+1,2", "37,5", "+0,053", "1,2e-05", "42"]),
     ("de", ["2,46", "-0,50", "+1,2", "37,5", "+0,053", "1,2e-05", "42"])],
)  # fmt: skip
def test_numbers_round_as_python_does_and_take_the_readers_decimal_mark(language, expected):
    with translation.override(language):
        written = [number(2.455, 2), number(-0.5, 2), signed(1.25), general(37.5), figure(0.0531),
                   general(0.000012), percent(0.425)]  # fmt: skip
    assert written == expected
    with translation.override(language):
        point = decimal_point()  # looked up once by a caller writing many numbers: the same text
        assert [number(2.455, 2, point=point), general(37.5, point=point), general(42, point=point)] == [
            expected[0], expected[3], "42"]  # fmt: skip
    assert percent(0.425) == f"{42.5:.0f}"  # half to even, as Python writes it, not half up


def test_thousands_are_grouped_only_when_the_deployment_asks_for_it():
    with translation.override("de"):
        assert number(12345.67, 1) == "12345,7"
        with override_settings(USE_THOUSAND_SEPARATOR=True):
            assert number(12345.67, 1) == "12.345,7"
            assert signed(-12345.0, 0) == "-12.345"
