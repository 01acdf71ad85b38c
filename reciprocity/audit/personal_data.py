"""The audit trail's part of a person's data: every recorded access to it."""

from reciprocity.audit.models import Event
from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User


def access_log_table(user: User) -> Table:
    """Every recorded access to this person's data (the audit trail)."""
    header = ["when", "actor", "action", "what", "address"]
    events = Event._base_manager.filter(subject=user).select_related("actor")
    rows = [[when(e.when), e.actor.display_name if e.actor else "", e.action, e.what, e.address]
            for e in events.order_by("when", "pk")]  # fmt: skip
    return Table("access_log", header, rows)


PART = Part(exported={"audit.Event": "access_log"}, tables={"access_log": access_log_table})
