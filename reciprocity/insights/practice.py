"""The practice view: the team's flywheel without singling anyone out.

A therapist who has not consented is only ever part of a figure that describes at least MIN_GROUP
therapists who have not consented; quartiles need MIN_FOR_QUARTILES people, because with fewer each
quartile is one person's own score. Therapists who consented may also be shown by name.
"""

from dataclasses import dataclass

import pandas as pd

MIN_GROUP = 5
MIN_FOR_QUARTILES = 10


@dataclass(frozen=True)
class TeamFigure:
    name: str
    n: int
    median: float | None
    low_quartile: float | None
    high_quartile: float | None
    individual: dict[str, float]  # only therapists who consented to be shown by name

    @property
    def is_shown(self) -> bool:
        return self.median is not None


def can_show(n_not_consented: int) -> bool:
    """An aggregate may include non-consenting therapists only if there are at least MIN_GROUP of them."""
    return n_not_consented == 0 or n_not_consented >= MIN_GROUP


def team_figures(states: pd.DataFrame, measures: dict[str, str]) -> list[TeamFigure]:
    """`states`: one row per therapist with a `name`, a `consented` flag and one column per measure.

    Per measure: the median (and, from MIN_FOR_QUARTILES people, the quartiles) over the therapists with
    a value — or nothing, when that figure would let anyone work out a non-consenting colleague's score.
    """
    figures = []
    for column, label in measures.items():
        present = states.dropna(subset=[column]) if column in states else states.iloc[0:0]
        n = len(present)
        consented = present[present["consented"]]
        by_name = {row["name"]: float(row[column]) for _, row in consented.iterrows()}
        if n == 0 or not can_show(n - len(consented)):
            figures.append(TeamFigure(label, n, None, None, None, by_name))
            continue
        values = present[column].astype(float)
        quartiles = n >= MIN_FOR_QUARTILES
        figures.append(
            TeamFigure(
                label, n, float(values.median()),
                float(values.quantile(0.25)) if quartiles else None,
                float(values.quantile(0.75)) if quartiles else None,
                by_name,
            )
        )  # fmt: skip
    return figures


def percentile_in_team(value: float | None, team: pd.Series) -> float | None:
    """Where a therapist stands in the team's anonymous distribution (share at or below), if n ≥ MIN_GROUP."""
    team = team.dropna()
    if value is None or len(team) < MIN_GROUP:
        return None
    return float((team <= value).mean())
