"""Which migrations the code ships that the database has not applied, and a PostgreSQL-only migration step."""

import functools
from collections.abc import Callable
from typing import Any

from django.db import connections, migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


@functools.cache
def shipped() -> frozenset[tuple[str, str]]:
    """Every migration of the code (read from disk once: the code does not change while it runs)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def unapplied(using: str = "default") -> set[tuple[str, str]]:
    """The shipped migrations the database has not applied (one query; DatabaseError if it cannot answer)."""
    return set(shipped()) - set(MigrationRecorder(connections[using]).applied_migrations())


def on_postgresql(up: list[str], down: list[str]) -> migrations.RunPython:
    """A migration step of raw SQL that runs on PostgreSQL only (SQLite keeps its own way of doing the same)."""

    def run(statements: list[str]) -> Callable[[Any, BaseDatabaseSchemaEditor], None]:
        def apply(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(up), run(down))
