"""Questionnaires for the demo practice: clients who improve (and one who deteriorates), one unacknowledged
item-9 flag, and each therapist's own ProQOL and WHO-5 following their arc."""

import datetime
import random

from reciprocity.demo import arcs
from reciprocity.measures import registry
from reciprocity.measures.definitions import Instrument, Scale
from reciprocity.measures.models import Administration, Source
from reciprocity.measures.scoring import _item_value
from reciprocity.measures.services import scored_administration
from reciprocity.therapy.models import Session


def answers_for(instrument: Instrument, targets: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Answers whose scales land near the target raw sums, spread over the items at random."""
    answers = {item.id: instrument.options(item)[0].value for item in instrument.items}
    for scale_id, target in targets.items():
        scale = instrument.scale(scale_id)
        per_item = {i: {_item_value(instrument, i, o.value): o.value for o in instrument.options(instrument.item(i))}
                    for i in scale.items}  # fmt: skip
        levels = {i: min(values) for i, values in per_item.items()}
        goal = round(min(max(target, sum(levels.values())), sum(max(v) for v in per_item.values())))
        while sum(levels.values()) < goal:
            item_id = rng.choice([i for i in scale.items if levels[i] < max(per_item[i])])
            levels[item_id] = min(v for v in per_item[item_id] if v > levels[item_id])
        answers |= {i: per_item[i][level] for i, level in levels.items()}
    return answers


def _primary(instrument: Instrument) -> Scale:
    return instrument.primary_scale


def client_administrations(
    sessions: list[Session], rng: random.Random, *, outlook: float, flag_latest: bool
) -> list[Administration]:
    """PHQ-9 and GAD-7 at a client's first session and every fourth after it.

    `outlook` is how much of the starting severity lifts by the end of the work (negative: it worsens).
    """
    out: list[Administration] = []
    phq9, gad7 = registry.get("phq9"), registry.get("gad7")
    start_phq, start_gad = rng.uniform(9, 21), rng.uniform(7, 17)
    measured = sessions[::4]
    for index, session in enumerate(measured):
        progress = index / max(len(measured) - 1, 1)
        for instrument, start in ((phq9, start_phq), (gad7, start_gad)):
            target = start * (1 - outlook * progress) + rng.gauss(0, 1.5)
            answers = answers_for(instrument, {_primary(instrument).id: target}, rng)
            if instrument is phq9:
                answers["9"] = 1 if flag_latest and index == len(measured) - 1 else 0
            out.append(
                scored_administration(
                    therapist=session.client.therapist,
                    instrument=instrument,
                    answers=answers,
                    client=session.client,
                    session=session,
                    completed_at=session.starts_at,
                    source=Source.THERAPIST,
                )
            )
    return out


def own_checkins(therapist, arc, weeks: int, this_monday: datetime.date, zone, rng: random.Random, now):
    """ProQOL every four weeks and WHO-5 every two, following the therapist's arc."""
    proqol, who5 = registry.get("proqol5"), registry.get("who5")
    out: list[Administration] = []
    for week in range(0, weeks, 2):
        state: arcs.State = arc(week / (weeks - 1))
        when = datetime.datetime.combine(
            this_monday - datetime.timedelta(weeks=weeks - 1 - week, days=-4), datetime.time(20, 0), zone
        )
        if when >= now:
            continue
        strain = (state.load - 4) / 4  # 0 at a light load, 1 at a heavy one
        wellbeing = who5.primary_scale
        percent = 30 + 15 * state.rating - 10 * strain + rng.gauss(0, 6)
        answers = answers_for(who5, {wellbeing.id: percent / wellbeing.multiplier}, rng)
        out.append(scored_administration(therapist=therapist, instrument=who5, answers=answers, client=None,
                                         completed_at=when))  # fmt: skip
        if week % 4 == 0:
            targets = {
                "compassion_satisfaction": 24 + 6 * state.rating + rng.gauss(0, 2),
                "burnout": 18 + 16 * strain + 2 * (2.5 - state.rating) + rng.gauss(0, 2),
                "secondary_traumatic_stress": 14 + 40 * state.trauma_share * (0.6 + strain) + rng.gauss(0, 2),
            }
            out.append(scored_administration(therapist=therapist, instrument=proqol,
                                             answers=answers_for(proqol, targets, rng), client=None,
                                             completed_at=when))  # fmt: skip
    return out
