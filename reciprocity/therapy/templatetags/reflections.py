from django import template

from reciprocity.therapy.dimensions import DIMENSIONS, RATING_LABELS, Dimension
from reciprocity.therapy.models import Reflection

register = template.Library()


@register.filter
def ratings_with_dimensions(reflection: Reflection) -> list[tuple[Dimension, int]]:
    """Pair each of the seven dimensions with this reflection's rating, in the canonical order."""
    return [(d, getattr(reflection, d.key)) for d in DIMENSIONS]


@register.filter
def rating_label(value: int | None) -> str:
    return RATING_LABELS.get(value, "") if value is not None else ""


@register.filter
def signed(value: float | None) -> str:
    """A change in rating points with its sign, e.g. +0.4 or −1.2; a dash when unknown."""
    if value is None:
        return "—"
    return f"{value:+.1f}".replace("-", "−")
