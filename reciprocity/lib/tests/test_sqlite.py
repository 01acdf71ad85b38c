"""A kept SQLite connection notices when the database's file was replaced or removed under it."""

import os
import shutil
import sqlite3

import pytest
from django.db import connections
from django.db.utils import load_backend

pytestmark = pytest.mark.engine_independent  # files of its own, on either run


@pytest.fixture
def kept(tmp_path, django_db_blocker):
    """A connection through the app's backend to a file database of its own, as the server keeps one."""
    django_db_blocker.unblock()  # not the tests' database: a file of this test's own
    wrapper = load_backend("reciprocity.lib.sqlite").DatabaseWrapper(
        {**connections["default"].settings_dict, "ENGINE": "reciprocity.lib.sqlite", "NAME": tmp_path / "db.sqlite3",
         "OPTIONS": {}, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True},
        alias="kept",
    )  # fmt: skip
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE words (text TEXT)")
    yield wrapper
    wrapper.close()
    django_db_blocker.restore()


def test_a_connection_stays_usable_while_its_file_is_the_database(kept):
    with kept.cursor() as cursor:
        cursor.execute("INSERT INTO words VALUES ('kept')")
    assert kept.is_usable()


def test_a_restored_file_makes_the_kept_connection_unusable_and_the_next_one_reads_it(kept, tmp_path):
    path = tmp_path / "db.sqlite3"
    restored = tmp_path / "restored.sqlite3"
    with sqlite3.connect(restored) as db:
        db.execute("CREATE TABLE words (text TEXT)")
        db.execute("INSERT INTO words VALUES ('restored')")
    db.close()
    os.replace(restored, path)  # as a restore swaps the file in
    assert not kept.is_usable()
    kept.close_if_unusable_or_obsolete()  # what a request's start does; its first query checks the connection
    with kept.cursor() as cursor:
        cursor.execute("SELECT text FROM words")
        assert cursor.fetchall() == [("restored",)]


def test_a_removed_file_makes_the_kept_connection_unusable(kept, tmp_path):
    shutil.move(tmp_path / "db.sqlite3", tmp_path / "elsewhere.sqlite3")
    assert not kept.is_usable()
