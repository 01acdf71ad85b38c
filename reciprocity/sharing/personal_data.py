"""Supervision's part of a person's data: supervisions on either side, shares, comments and meetings."""

from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User
from reciprocity.sharing.models import Comment, Meeting, Share, Supervision


def supervisions_table(user: User) -> Table:
    header = ["id", "my_role", "other_person", "practice", "created_at", "accepted_at", "ended_at"]
    rows = []
    for s in Supervision.objects.involving(user).select_related("therapist", "supervisor", "practice").order_by("pk"):
        mine = s.therapist_id == user.pk
        other = s.supervisor if mine else s.therapist
        rows.append([s.pk, "therapist" if mine else "supervisor", other.display_name if other else "",
                     s.practice.name, when(s.created_at), when(s.accepted_at), when(s.ended_at)])  # fmt: skip
    return Table("supervisions", header, rows)


def shares_table(user: User) -> Table:
    header = ["id", "supervision", "kind", "reflection", "text", "shared_at", "revoked_at"]
    rows = [[s.pk, s.supervision_id, s.kind, s.reflection_id, s.text, when(s.shared_at), when(s.revoked_at)]
            for s in Share.objects.filter(supervision__therapist=user).order_by("shared_at", "pk")]  # fmt: skip
    return Table("shares", header, rows)


def comments_table(user: User) -> Table:
    rows = [[c.pk, c.share_id, c.parent_id, c.text, when(c.created_at)]
            for c in Comment.objects.filter(author=user).order_by("created_at", "pk")]  # fmt: skip
    return Table("comments", ["id", "share", "reply_to", "text", "created_at"], rows)


def meetings_table(user: User) -> Table:
    meetings = (Meeting.objects.filter(supervision__in=Supervision.objects.involving(user))
                .prefetch_related("agenda").order_by("held_on", "pk"))  # fmt: skip
    rows = [[m.pk, m.supervision_id, when(m.held_on), ";".join(str(s.pk) for s in m.agenda.all()), m.notes,
             m.created_by_id == user.pk] for m in meetings]  # fmt: skip
    return Table("meetings", ["id", "supervision", "held_on", "agenda_shares", "notes", "recorded_by_me"], rows)


def counts(user: User) -> list[tuple[str, int]]:
    return [("supervisions", Supervision.objects.involving(user).count())]


PART = Part(
    exported={
        "sharing.Supervision": "supervisions",
        "sharing.Share": "shares",
        "sharing.Comment": "comments",
        "sharing.Meeting": "meetings",
        "sharing.Meeting_agenda": "meetings",
    },
    tables={
        "supervisions": supervisions_table,
        "shares": shares_table,
        "comments": comments_table,
        "meetings": meetings_table,
    },
    counts=counts,
)
