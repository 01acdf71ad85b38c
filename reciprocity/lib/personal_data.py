"""Each app's part of a person's data: which of its models hold it, how it is exported, counted and erased.

Every app whose models hang from a person says so in a module `personal_data.py` holding one `Part`,
`PART`, found the way Django's admin finds `admin.py` modules. Erasure (practice/erasure.py), the
"Delete my account" page, a new therapist's first defaults and the export (exports/tables.py) read the
parts from here, so none of them imports a feature app, and a new app teaches all of them about its data
by adding that module. `exports/tests/test_export_coverage.py`
fails when a model that hangs from a person is named by no part.
"""

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Table:
    """One exported table: a name (the file is `<name>.csv`/`.json`), its header and its rows."""

    name: str
    header: list[str]
    rows: list[list[Any]]


def when(value: Any) -> Any:
    """A date or time as ISO 8601 text for an exported cell; anything else as it is."""
    return value.isoformat() if hasattr(value, "isoformat") else value


TaskFilter = Callable[[str, Any], bool]  # (task path, its stored arguments) -> does it name the person's data


@dataclass(frozen=True)
class Part:
    """What one app holds of a person, and how the foundations export, count and erase it.

    Models are named by label (`app.Model`, `app.Model_field` for a many-to-many table). Erasure deletes
    the person's user row, and every model that hangs from it goes by cascade; the hooks are for what a
    cascade cannot do. Each hook takes the person (a practice.User).
    """

    exported: Mapping[str, str] = field(default_factory=dict)  # model label -> the table it is exported in
    not_exported: Mapping[str, str] = field(default_factory=dict)  # model label -> why it is not exported
    tables: Mapping[str, Callable[[Any], Table]] = field(default_factory=dict)  # by name, in the export's order
    files: Callable[[Any], Iterable[tuple[str, str]]] | None = None  # more (path, text) for the archive
    counts: Callable[[Any], Iterable[tuple[str, int]]] | None = None  # what "Delete my account" says goes
    on_new_therapist: Callable[[Any], None] | None = None  # give a new therapist this app's starting data
    erase_first: Callable[[Any], Counter | None] | None = None  # in the transaction, before the cascade
    queued_work: Callable[[Any], TaskFilter] | None = None  # which queued tasks name the person's data
    after_erasure: Callable[[], None] | None = None  # after the transaction: forget what a process cached


@functools.cache
def parts() -> dict[str, Part]:
    """Each installed app's part, by app label, in the order the apps are installed (read once)."""
    from django.apps import apps

    return {
        config.label: import_module(f"{config.name}.personal_data").PART
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "personal_data")
    }


def tables() -> dict[str, Callable[[Any], Table]]:
    """Every exported table by name, in the order of the parts."""
    found: dict[str, Callable[[Any], Table]] = {}
    for part in parts().values():
        found |= part.tables
    return found
