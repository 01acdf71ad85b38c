"""Whoever supervises a colleague reads what that colleague shares, so they sign in with two-factor, as the
supervisor role already must (practice/twofactor.py keeps the requirement; this app knows who supervises)."""

from collections.abc import Callable

from reciprocity.practice import twofactor
from reciprocity.sharing.models import Supervision
from reciprocity.sharing.selectors import supervises_anyone


def supervises_sql(quote: Callable[[str], str]) -> str:
    """`supervises_anyone` as a condition of the standing query, on one parameter: the user's id."""
    meta = Supervision._meta

    def column(field: str) -> str:
        return quote(meta.get_field(field).column)

    return (
        f"EXISTS(SELECT 1 FROM {quote(meta.db_table)} WHERE {column('supervisor')} = %s"  # noqa: S608 - our names
        f" AND {column('accepted_at')} IS NOT NULL AND {column('ended_at')} IS NULL)"
    )


REQUIREMENT = twofactor.Requirement(sql=supervises_sql, applies=supervises_anyone)
