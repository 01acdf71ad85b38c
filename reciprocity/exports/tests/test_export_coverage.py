"""Every model that holds a person's rows is in some app's part of their data (found by walking the foreign
keys, so a new model is exported or named as not exported), and the archive holds nothing of anyone else's."""

import io
import json
import zipfile

from django.apps import apps
from django.db import models

from reciprocity.exports.tables import account_archive
from reciprocity.lib.personal_data import Part, parts, tables
from reciprocity.practice.models import User
from reciprocity.practice.tests.test_erasure import ANA_WORDS, BEN_WORDS, world  # noqa: F401 - the fixture

MIGHT_BE_EMPTY = {"access_log"}  # filled by the audit trail, which records requests, not builders


def _hanging_from_user():
    """Every model whose rows go when a person's account goes (a cascading key chain to the user)."""
    found, grew = {User}, True
    while grew:
        grew = False
        for model in apps.get_models(include_auto_created=True):
            for f in model._meta.concrete_fields:
                if (isinstance(f, models.ForeignKey) and f.remote_field.on_delete is models.CASCADE
                        and f.related_model in found and model not in found):  # fmt: skip
                    found.add(model)
                    grew = True
    return {model._meta.label for model in found}


def _named(part: Part) -> set[str]:
    return set(part.exported) | set(part.not_exported)


def test_every_model_holding_a_persons_rows_is_in_some_apps_part():
    named = set().union(*(_named(part) for part in parts().values()))
    missing = _hanging_from_user() - named
    assert not missing, "name these models in their app's personal_data.PART: exported in a table, or why not"
    assert {table for part in parts().values() for table in part.exported.values()} <= set(tables())


def test_each_app_names_only_its_own_models():
    """Practice, which owns the user, also speaks for Django's models that hang from it."""
    for app, part in parts().items():
        foreign = {label for label in _named(part) if label.split(".")[0] != app}
        assert not foreign or (app == "practice" and foreign <= {"admin.LogEntry", "auth.Permission"}), foreign


def test_a_model_left_out_of_every_part_is_found(monkeypatch):
    monkeypatch.setitem(parts(), "development", Part())  # as if development/personal_data.py named nothing
    named = set().union(*(_named(part) for part in parts().values()))
    assert {"development.Activity", "development.Goal", "development.Support"} <= _hanging_from_user() - named


def test_the_archive_has_every_table_filled_and_nothing_of_a_colleague(world, ana):  # noqa: F811
    with zipfile.ZipFile(io.BytesIO(account_archive(ana))) as archive:
        found = {name: json.loads(archive.read(f"{name}.json")) for name in tables()}
        everything = "".join(archive.read(n).decode() for n in archive.namelist())
    empty = {name for name, rows in found.items() if not rows} - MIGHT_BE_EMPTY
    assert not empty, "the account in the test has rows of every kind"
    assert ANA_WORDS in everything and "Breathe out before answering." in everything
    assert {r["text"] for r in found["peer_posts"]} == {"A stuck case.", "An answer from the starter."}
    assert BEN_WORDS not in everything and "A reply to the stuck case." not in everything
    assert {r["my_role"] for r in found["supervisions"]} == {"therapist", "supervisor"}
    assert all("token_hash" not in r for r in found["api_tokens"])
