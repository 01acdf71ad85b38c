"""Numbers as a reader writes them, in the language of the page that shows them ("2.5" in English, "2,5" in
Spanish and German). Each function rounds exactly as Python's own formatting does and then writes the result in
the active language's form (Django's number formatting alone would cut digits off instead of rounding).
"""

from django.conf import settings
from django.utils import formats


def decimal_point() -> str:
    """The active language's decimal mark. Looking it up costs more than writing the number: a function that
    writes hundreds of numbers asks once and hands it to `number` and `general` as `point`."""
    return formats.get_format("DECIMAL_SEPARATOR")


def _localised(text: str, point: str | None = None) -> str:
    """A number Python has already written ("-2.50", "42", "1.2e-05") in the active language's form.

    Without thousands separators that form differs from Python's only in the decimal point, so only the
    point is changed (Django's number formatting gives the same with more work, and a chart's page writes
    hundreds of numbers). `point` is the active language's `decimal_point()`, when the caller has it."""
    plain = not text[-1:].isdigit() or "e" in text  # inf, nan or an exponent: only the decimal point changes
    if plain or not settings.USE_THOUSAND_SEPARATOR:
        return text.replace(".", point or decimal_point()) if "." in text else text
    return str(formats.number_format(text))


def number(value: float, decimals: int = 1, *, point: str | None = None) -> str:
    """`value` with `decimals` places, as `f"{value:.{decimals}f}"` but in the reader's form."""
    return _localised(f"{value:.{decimals}f}", point)


def signed(value: float, decimals: int = 1) -> str:
    """With its sign, as `f"{value:+.{decimals}f}"`."""
    return _localised(f"{value:+.{decimals}f}")


def general(value: float, *, point: str | None = None) -> str:
    """As `f"{value:g}"`: a score of 42 as "42", of 37.5 as "37.5"."""
    return _localised(f"{value:g}", point)


def figure(value: float) -> str:
    """Two significant figures with a sign, so a small effect never reads as 0.0 (`+0.053`, `-1.2`, `+140`)."""
    return _localised(f"{value:+.2g}".replace("e+0", "e") if abs(value) < 100 else f"{value:+.0f}")


def percent(share: float) -> str:
    """A share of 0–1 as whole percentage points without the sign, as `f"{share:.0%}"` less its "%"."""
    return _localised(f"{share * 100:.0f}")
