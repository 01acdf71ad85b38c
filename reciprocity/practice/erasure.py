"""Deleting an account: every row of the person, their search index, queued work and sign-ins, in one transaction.

What goes, and what happens to what others wrote beside it:
- everything the person owns: clients (and their sessions, questionnaires, links), reflections, check-ins,
  repertoire and tries, development log, goals and support ledger, alert answers, their own words lists,
  API tokens, memberships, and the search documents built from their entries (vectors and full-text terms);
- supervision: every supervision they are part of ends and goes, with its shares, comments and meetings,
  whichever side they were on, so a supervisor's view of them ends at once;
- peer groups: their posts go, and with each post the replies others wrote to it (a reply answers the
  erased case and means nothing without it); their replies to others' posts go too. A group they created
  stays with its other members and passes to the longest-standing of them;
- a practice left with no member and nothing else in it goes; one with colleagues stays;
- their sign-ins end on every device, and queued background work that names them or their entries is dropped.

Each app says what it holds of a person and what its cascade cannot do (reciprocity/lib/personal_data.py):
the search index goes first, a group is handed on, queued work naming the person's entries is found.

On SQLite the deleted rows are overwritten (secure_delete), the full-text index is merged and the WAL is
checkpointed and emptied, so the erased rows do not linger in free pages, index segments or the WAL.
On PostgreSQL deleted rows stay in the table files until VACUUM (autovacuum) reuses their space.
"""

from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session as SignIn
from django.db import connection, transaction

from reciprocity.lib import personal_data
from reciprocity.lib.personal_data import TaskFilter
from reciprocity.practice.models import Membership, Practice, User
from reciprocity.vault.fields import left_sealed

OWNER_ARGUMENTS = {"owner_id", "user_id", "therapist_id"}


@dataclass
class Counts:
    """How many rows of each kind went (labelled app.Model), and the sign-ins and queued tasks ended."""

    rows: Counter = field(default_factory=Counter)
    sign_ins: int = 0
    tasks: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        parts = ", ".join(f"{label} {n}" for label, n in sorted(self.rows.items()) if n)
        return f"{self.total} rows ({parts}); {self.sign_ins} sign-ins ended; {self.tasks} queued tasks dropped"


def _end_sign_ins(user: User) -> int:
    """Sign the person out on every device: their stored sessions go (from the cache too, with cached_db)."""
    engine = import_module(settings.SESSION_ENGINE)
    if not settings.SESSION_ENGINE.endswith(("sessions.backends.db", "sessions.backends.cached_db")):
        return 0  # sessions not kept in the database (cookies, cache): they fail once the user is gone
    ended = [s.session_key for s in SignIn.objects.iterator() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    for key in ended:
        engine.SessionStore(session_key=key).delete()
    return len(ended)


def _names_user(path: str, call: Any, user: User, filters: list[TaskFilter]) -> bool:
    """Whether a queued task's arguments name this person, or one of their entries (as an app tells)."""
    if not isinstance(call, dict):
        return False
    kwargs = dict(call.get("kwargs") or {})
    if any(kwargs.get(name) == user.pk for name in OWNER_ARGUMENTS):
        return True
    return any(names(path, call) for names in filters)


def _drop_tasks(user: User, filters: list[TaskFilter]) -> int:
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    named = [
        pk
        for pk, path, call in DBTaskResult.objects.values_list("pk", "task_path", "args_kwargs").iterator()
        if _names_user(path, call, user, filters)
    ]
    return DBTaskResult.objects.filter(pk__in=named).delete()[0]


def _empty_practices(practice_ids: set[int]) -> list[Practice]:
    """Practices with no member left and nothing else pointing at them."""
    empty = []
    for practice in Practice.objects.filter(pk__in=practice_ids).exclude(memberships__isnull=False):
        in_use = any(
            rel.related_model._base_manager.filter(**{rel.field.name: practice}).exists()
            for rel in Practice._meta.related_objects
        )
        if not in_use:
            empty.append(practice)
    return empty


def erase_account(user: User) -> Counts:
    """Delete everything of this person, in one transaction; nothing of anyone else's own work."""
    counts = Counts()
    sqlite = connection.vendor == "sqlite"
    # Rows are loaded only to be deleted: their text is left sealed, so an account whose text no longer opens
    # (a lost key) can still be erased, and nothing is decrypted on the way.
    with transaction.atomic(), left_sealed():
        parts = list(personal_data.parts().values())
        filters = [part.queued_work(user) for part in parts if part.queued_work]
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete")
                secure_delete = cursor.fetchone()[0]
                cursor.execute("PRAGMA secure_delete = ON")
        practice_ids = set(Membership.objects.filter(user=user).values_list("practice_id", flat=True))
        for part in parts:
            if part.erase_first:
                counts.rows.update(part.erase_first(user) or {})
        counts.rows.update(User.objects.filter(pk=user.pk).delete()[1])
        for practice in _empty_practices(practice_ids):
            counts.rows.update(Practice.objects.filter(pk=practice.pk).delete()[1])
        counts.sign_ins = _end_sign_ins(user)
        counts.tasks = _drop_tasks(user, filters)

        def drop_what_the_deletion_queued() -> None:
            # Deleting the entries asked for their search documents to go; those requests are queued once
            # the deletion commits, just before this runs.
            counts.tasks += _drop_tasks(user, filters)

        transaction.on_commit(drop_what_the_deletion_queued)
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {int(secure_delete)}")
            if not connection.in_atomic_block:
                # Copy the zeroed pages into the database file and empty the WAL, where the old pages still
                # sit. Best effort: a reader in the middle of a long query keeps part of it until later.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for part in parts:
        if part.after_erasure:
            part.after_erasure()
    return counts
