"""The practice view: the team's flywheel without singling anyone out.

No figure describes fewer than MIN_GROUP therapists unless every one of them consented to be shown.
"""

from dataclasses import dataclass

import pandas as pd

MIN_GROUP = 5


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


def can_show(n: int, all_consented: bool) -> bool:
    return n >= MIN_GROUP or (n > 0 and all_consented)


def team_figures(states: pd.DataFrame, measures: dict[str, str]) -> list[TeamFigure]:
    """`states`: one row per therapist with a `name`, a `consented` flag and one column per measure.

    Returns, per measure, the median and quartiles over the therapists who have a value — or nothing
    when that would describe fewer than MIN_GROUP people who have not all consented.
    """
    figures = []
    for column, label in measures.items():
        present = states.dropna(subset=[column]) if column in states else states.iloc[0:0]
        n = len(present)
        consented = present[present["consented"]]
        shown_by_name = {row["name"]: float(row[column]) for _, row in consented.iterrows()}
        if not can_show(n, bool(present["consented"].all()) if n else False):
            figures.append(TeamFigure(label, n, None, None, None, shown_by_name))
            continue
        values = present[column].astype(float)
        figures.append(
            TeamFigure(label, n, float(values.median()), float(values.quantile(0.25)), float(values.quantile(0.75)),
                       shown_by_name)
        )  # fmt: skip
    return figures


def percentile_in_team(value: float | None, team: pd.Series) -> float | None:
    """Where a therapist stands in the team's anonymous distribution (share at or below), if n ≥ MIN_GROUP."""
    team = team.dropna()
    if value is None or len(team) < MIN_GROUP:
        return None
    return float((team <= value).mean())
