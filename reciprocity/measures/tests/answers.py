"""Answer sets built from an instrument file, for table-driven tests over every shipped instrument."""

from reciprocity.measures.definitions import Instrument, Scale
from reciprocity.measures.scoring import _item_value


def scored_values(instrument: Instrument, item_id: str) -> dict[int, int]:
    """For one item: scored value -> the answer that produces it (reverse scoring applied)."""
    item = instrument.item(item_id)
    return {_item_value(instrument, item_id, o.value): o.value for o in instrument.options(item)}


def extreme(instrument: Instrument, scale: Scale, end: str) -> dict[str, int]:
    """Answers giving the scale its lowest (end='min') or highest ('max') possible score."""
    pick = min if end == "min" else max
    answers = {item.id: instrument.options(item)[0].value for item in instrument.items}
    for item_id in scale.items:
        values = scored_values(instrument, item_id)
        answers[item_id] = values[pick(values)]
    return answers


def raw_sum(instrument: Instrument, scale: Scale, target: int) -> dict[str, int] | None:
    """Answers whose scored items on `scale` add up to `target`, filling items greedily; None if impossible."""
    answers = extreme(instrument, scale, "min")
    remaining = target - sum(min(scored_values(instrument, i)) for i in scale.items)
    if remaining < 0:
        return None
    for item_id in scale.items:
        values = scored_values(instrument, item_id)
        current = min(values)
        candidates = sorted(v for v in values if v - current <= remaining)
        best = candidates[-1]
        answers[item_id] = values[best]
        remaining -= best - current
    return answers if remaining == 0 else None
