"""Which migrations the code ships that the database has not applied."""

import functools

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


@functools.cache
def shipped() -> frozenset[tuple[str, str]]:
    """Every migration of the code (read from disk once: the code does not change while it runs)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def unapplied(using: str = "default") -> set[tuple[str, str]]:
    """The shipped migrations the database has not applied (one query; DatabaseError if it cannot answer)."""
    return set(shipped()) - set(MigrationRecorder(connections[using]).applied_migrations())
