"""The whole-account archive covers every model that holds a person's rows (found by walking the foreign keys,
so a new model is exported or named as not exported), and holds nothing of anyone else's words."""

import io
import json
import zipfile

from django.apps import apps
from django.db import models

from reciprocity.exports.tables import EXPORTED_IN, NOT_EXPORTED, TABLES, account_archive
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


def test_every_model_holding_a_persons_rows_is_exported_or_named():
    missing = _hanging_from_user() - set(EXPORTED_IN) - set(NOT_EXPORTED)
    assert not missing, "export these models (exports/tables.py) or say in NOT_EXPORTED why not"
    assert set(EXPORTED_IN.values()) <= set(TABLES)


def test_the_archive_has_every_table_filled_and_nothing_of_a_colleague(world, ana):  # noqa: F811
    with zipfile.ZipFile(io.BytesIO(account_archive(ana))) as archive:
        tables = {name: json.loads(archive.read(f"{name}.json")) for name in TABLES}
        everything = "".join(archive.read(n).decode() for n in archive.namelist())
    empty = {name for name, rows in tables.items() if not rows} - MIGHT_BE_EMPTY
    assert not empty, "the account in the test has rows of every kind"
    assert ANA_WORDS in everything and "Breathe out before answering." in everything
    assert {r["text"] for r in tables["peer_posts"]} == {"A stuck case.", "An answer from the starter."}
    assert BEN_WORDS not in everything and "A reply to the stuck case." not in everything
    assert {r["my_role"] for r in tables["supervisions"]} == {"therapist", "supervisor"}
    assert all("token_hash" not in r for r in tables["api_tokens"])
