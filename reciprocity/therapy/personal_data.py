"""Therapy's part of a person's data: sessions, reflections, and the words lists of concerns and techniques."""

from reciprocity.clients.models import Concern
from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session, Technique


def sessions_table(user: User) -> Table:
    header = ["id", "client", "starts_at", "duration_minutes", "format", "mode", "techniques", "emotional_load",
              "worked_with_trauma", "arrival_calm", "arrival_tiredness"]  # fmt: skip
    rows = [
        [s.pk, s.client.code, when(s.starts_at), s.duration_minutes, s.format, s.mode,
         ";".join(t.name for t in s.techniques.all()), s.emotional_load, s.worked_with_trauma, s.arrival_calm,
         s.arrival_tiredness]
        for s in Session.objects.owned_by(user).for_listing().order_by("starts_at")
    ]  # fmt: skip
    return Table("sessions", header, rows)


def reflections_table(user: User) -> Table:
    header = ["id", "session", "occasion", "occurred_at", *KEYS, "gave_me", "carry_home", "mood_before", "mood_after"]
    rows = [
        [r.pk, r.session_id, r.occasion, when(r.occurred_at), *(getattr(r, k) for k in KEYS), r.gave_me,
         r.carry_home, r.mood_before, r.mood_after]
        for r in Reflection.objects.owned_by(user).order_by("occurred_at")
    ]  # fmt: skip
    return Table("reflections", header, rows)


def words_table(user: User) -> Table:
    """The therapist's own lists of words: concerns (clients) and techniques (sessions)."""
    rows = [["concern", t.name, t.is_retired] for t in Concern.objects.owned_by(user)]
    rows += [["technique", t.name, t.is_retired] for t in Technique.objects.owned_by(user)]
    return Table("words", ["list", "name", "retired"], rows)


def counts(user: User) -> list[tuple[str, int]]:
    return [
        ("sessions", Session.objects.owned_by(user).count()),
        ("reflections", Reflection.objects.owned_by(user).count()),
    ]


PART = Part(
    exported={
        "therapy.Technique": "words",
        "therapy.Session": "sessions",
        "therapy.Session_techniques": "sessions",
        "therapy.Reflection": "reflections",
    },
    tables={"sessions": sessions_table, "reflections": reflections_table, "words": words_table},
    counts=counts,
    on_new_therapist=Technique.seed_defaults,
)
