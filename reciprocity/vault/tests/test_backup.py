"""Backups: every record and every decrypted text survives a round trip; a damaged, cut or foreign backup is
refused with the database untouched; a backup is taken while another connection keeps writing."""

import base64
import datetime
import json
import secrets
import sqlite3
import threading
import time
from io import StringIO

import dj_database_url
import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import BinaryField, TextField, Value

from reciprocity.development.models import Goal, Support
from reciprocity.measures import registry
from reciprocity.measures.definitions import SHIPPED_DIR
from reciprocity.measures.models import Source
from reciprocity.measures.services import record_administration
from reciprocity.peers import services as peers
from reciprocity.practice.models import Role
from reciprocity.recall.models import Document
from reciprocity.repertoire.services import add_item, log_trial
from reciprocity.sharing import services as sharing
from reciprocity.therapy.models import Reflection
from reciprocity.vault import backup as backup_module
from reciprocity.vault import keyring
from reciprocity.vault.backup import BackupError, backup, restore
from reciprocity.vault.canary import missing_keys, stored_key_ids
from tests.builders import make_client, make_reflection, make_session, make_user
from tests.servers import app_env, own_database, run_cli

CANARY = "Canary: the heron at the weir"


@pytest.fixture
def filled(own_keys, ana, ben, north):
    """Something in every app, with free text in every kind of text field."""
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR)
    session = make_session(make_client(ana, "N-0007"))
    reflection = make_reflection(session, gave_me=f"{CANARY} gave me patience.", carry_home="Pause, then answer.")
    record_administration(therapist=ana, instrument=registry.get("who5"), source=Source.SELF, note="Tired, steady.",
                          answers={item.id: 3 for item in registry.get("who5").items})  # fmt: skip
    item = add_item(owner=ana, title="Pause first", description="Breathe out first.", reflection=reflection)
    log_trial(item, by=ana, tried_on=datetime.date(2026, 3, 1), situation="A hard call.", helped=4, note="It held.")
    Goal.objects.create(owner=ana, title="Finish EMDR", note="By summer.")
    Support.objects.create(owner=ana, kind="therapy", day=datetime.date(2026, 3, 1), note="My own therapy helps.")
    supervision = sharing.accept(sharing.invite(ana, kim), kim)
    share = sharing.share_reflection(supervision, reflection, by=ana, text="Patience, shared.")
    sharing.comment(share, by=kim, text="What helped most?")
    sharing.record_meeting(supervision, by=kim, held_on=datetime.date(2026, 3, 2), agenda=[share], notes="We met.")
    group = peers.create_group(ana, "Peers", [ben, kim])
    peers.reply(peers.post(group, by=ana, text="A stuck case."), by=ben, text="Try a pause.")
    return reflection


def _every_record():
    """Every row of every model, as the app reads it (encrypted text decrypted)."""
    return {
        model._meta.label: [tuple(sorted(row.items())) for row in model._base_manager.order_by("pk").values()]
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.mark.django_db(transaction=True)
def test_a_backup_brings_back_every_record_and_every_decrypted_text(filled, tmp_path):
    before = _every_record()
    assert sum(map(len, before.values())) > 100 and any(CANARY in str(rows) for rows in before.values())
    written = backup(tmp_path / "one.backup")
    assert written.stat().st_mode & 0o777 == 0o600
    assert CANARY.encode() not in written.read_bytes() and b"SQLite format" not in written.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["encryption.keys", "one.backup"]  # no plain copy left

    Reflection.objects.filter(pk=filled.pk).update(gave_me="Changed after the backup.")
    make_user("newcomer")
    with pytest.raises(BackupError, match="already holds data"):
        restore(written)
    assert Reflection.objects.get(pk=filled.pk).gave_me == "Changed after the backup."  # refused: untouched

    restore(written, force=True)
    connection.close()
    assert _every_record() == before


@pytest.mark.django_db(transaction=True)
def test_a_damaged_cut_or_foreign_backup_is_refused_and_the_database_untouched(filled, own_keys, tmp_path, monkeypatch):
    written = backup(tmp_path / "one.backup")
    sealed = written.read_bytes()
    before = _every_record()
    cases = {
        "altered": sealed[:200] + bytes([sealed[200] ^ 1]) + sealed[201:],
        "cut short": sealed[: len(sealed) - 40],
        "not an encrypted Reciprocity file": b"SQLite format 3\x00" + bytes(200),
    }
    for message, content in cases.items():
        damaged = tmp_path / "damaged.backup"
        damaged.write_bytes(content)
        with pytest.raises(CommandError, match=message) as refused:
            call_command("restore", str(damaged), "--force")
        assert refused.value.returncode == 2
        assert _every_record() == before
    # a backup sealed with a key this installation does not hold
    ours = own_keys.read_text().strip()
    other = f"other:{base64.b64encode(secrets.token_bytes(32)).decode()}"
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{other},{ours}")
    keyring.forget()
    foreign = backup(tmp_path / "foreign.backup")
    monkeypatch.delenv("ENCRYPTION_KEYS")
    keyring.forget()
    with pytest.raises(CommandError, match="The key 'other' is not in") as refused:
        call_command("restore", str(foreign), "--force")
    assert refused.value.returncode == 2 and _every_record() == before and "retired" not in str(refused.value)
    (own_keys.parent / "retired.keys").write_text(other + "\n")  # as `rotate-key` leaves a retired key
    with pytest.raises(CommandError, match="A key rotation retired that key"):
        call_command("restore", str(foreign), "--force")
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"))


class PairWriter(threading.Thread):
    """Commits two rows at a time, as fast as it can: a consistent copy holds an even number of them."""

    def __init__(self, env, data_dir):
        super().__init__(daemon=True)
        self.env, self.data_dir = env, data_dir
        self.committed, self.errors, self.stop = 0, [], threading.Event()
        with self._connect() as db:
            db.execute("CREATE TABLE canary_pair (n integer)")

    def _connect(self):
        if url := self.env.get("DATABASE_URL"):
            config = dj_database_url.parse(url)
            return psycopg.connect(host=config["HOST"], port=config["PORT"], user=config["USER"], dbname=config["NAME"])
        return sqlite3.connect(self.data_dir / "reciprocity.sqlite3", timeout=20)

    def run(self):
        db = self._connect()
        insert = "INSERT INTO canary_pair (n) VALUES (%s)" if self.env.get("DATABASE_URL") else (
            "INSERT INTO canary_pair (n) VALUES (?)")  # fmt: skip
        try:
            while not self.stop.is_set():
                db.execute(insert, [self.committed])
                db.execute(insert, [self.committed + 1])
                db.commit()  # one transaction for the pair
                self.committed += 2
        except Exception as error:
            self.errors.append(error)
        finally:
            db.close()

    def read(self, env, data_dir, sql):
        """One value from the database of `env`."""
        self.env, self.data_dir = env, data_dir
        db = self._connect()
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()


def test_a_backup_is_taken_while_another_connection_writes_and_restores_elsewhere(tmp_path):
    keys = f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}"
    with own_database() as first_url, own_database() as second_url:
        live = tmp_path / "live"
        env = app_env(live, first_url) | {"ENCRYPTION_KEYS": keys}
        assert run_cli(["migrate", "--no-input", "-v", "0"], env).returncode == 0
        assert run_cli(["createuser", "tess", "--password-stdin"], env, "a long passphrase\n").returncode == 0
        writer = PairWriter(env, live)
        writer.start()
        while writer.committed < 50 and writer.is_alive():
            time.sleep(0.01)
        at_start = writer.committed
        done = run_cli(["backup", "-o", str(tmp_path / "online.backup")], env)
        at_end = writer.committed
        time.sleep(0.2)
        writer.stop.set()
        writer.join(10)
        assert done.returncode == 0, done.stderr
        assert not writer.errors, writer.errors
        assert at_end > at_start, "the writer must keep committing while the backup runs"
        assert oct((tmp_path / "online.backup").stat().st_mode & 0o777) == "0o600"

        elsewhere = tmp_path / "elsewhere"
        other_env = app_env(elsewhere, second_url) | {"ENCRYPTION_KEYS": keys}
        tampered = tmp_path / "tampered.backup"
        content = (tmp_path / "online.backup").read_bytes()
        tampered.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))
        refused = run_cli(["restore", str(tampered)], other_env)
        assert refused.returncode == 2 and "altered" in refused.stderr and "Traceback" not in refused.stderr
        restored = run_cli(["restore", str(tmp_path / "online.backup")], other_env)
        assert restored.returncode == 0, restored.stderr
        copied = writer.read(other_env, elsewhere, "SELECT count(*) FROM canary_pair")
        assert copied % 2 == 0 and at_start <= copied <= writer.committed
        assert writer.read(other_env, elsewhere, "SELECT username FROM practice_user") == "tess"


@pytest.mark.django_db(transaction=True)
def test_restoring_a_backup_from_an_earlier_version_says_to_migrate(own_keys, tmp_path):
    recorder = MigrationRecorder(connection)
    latest = max(name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "recall")
    recorder.record_unapplied("recall", latest)  # as if taken before that change
    try:
        written = backup(tmp_path / "older.backup")
        out = StringIO()
        call_command("restore", str(written), "--force", stdout=out)
        assert "run `reciprocity upgrade`" in out.getvalue()
    finally:
        recorder.record_applied("recall", latest)
    out = StringIO()
    call_command("restore", str(backup(tmp_path / "current.backup")), "--force", stdout=out)
    assert "migrate" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_a_rotation_ran_names_both_keys_and_its_restore_asks_for_the_retired_one(
    filled, own_keys, tmp_path
):
    """The copy holds text under the old key and the new one: the backup says to keep both, and a restore after
    the rotation finished names the retired key and where it is, instead of leaving text nothing opens."""
    old = keyring.keyring(fresh=True).primary
    new = keyring.begin_rotation()  # a rotation that has put its new key first and re-encrypted nothing yet
    assert set(stored_key_ids()) == {old}
    out = StringIO()
    call_command("backup", "-o", str(tmp_path / "mid.backup"), stdout=out)
    assert f"encrypted with key {new}" in out.getvalue() and f"also sealed with key {old}" in out.getvalue()

    call_command("rotate-key", "--grace", "0", stdout=StringIO())
    assert set(stored_key_ids()) == {new} and not missing_keys()
    with pytest.raises(CommandError, match=rf"sealed with key {old}, which is not among.*retired\.keys") as refused:
        call_command("restore", str(tmp_path / "mid.backup"), "--force", stdout=StringIO())
    assert refused.value.returncode == 3
    assert "therapy.Reflection" in missing_keys()[old]

    retired = dict(keyring.parse_keys(keyring.retired_keys_path().read_text(), "retired.keys"))
    current = keyring.keyring(fresh=True)
    keyring.write_key_file(own_keys, [(new, current.keys[new]), (old, retired[old])])  # its line put back
    keyring.forget()
    assert not missing_keys()
    assert CANARY in Reflection.objects.get(pk=filled.pk).gave_me


@pytest.mark.django_db
def test_every_column_is_asked_which_keys_sealed_it(filled, own_keys):
    """Text and bytes (the search vectors) alike, every row: one value under a key that is gone is found."""
    primary = keyring.keyring(fresh=True).primary
    found = stored_key_ids()
    assert set(found) == {primary} and "therapy.Reflection" in found[primary]
    stray = "enc1:0ddba11:" + base64.b64encode(secrets.token_bytes(40)).decode()
    Reflection.objects.filter(pk=filled.pk).update(carry_home=Value(stray, TextField()))  # stored as given
    assert missing_keys() == {"0ddba11": {"therapy.Reflection"}}
    damaged = make_reflection(author=filled.author)
    Reflection.objects.filter(pk=damaged.pk).update(carry_home=Value("enc1:damaged", TextField()))  # no key named
    assert missing_keys() == {"0ddba11": {"therapy.Reflection"}}  # the column is still asked, its other rows too
    assert Document.objects.exists()
    Document.objects.update(vector=Value(b"enc1:5ca1ab1e:" + secrets.token_bytes(30), BinaryField()))
    assert missing_keys() == {"0ddba11": {"therapy.Reflection"}, "5ca1ab1e": {"recall.Document"}}


@pytest.mark.django_db(transaction=True)
def test_a_backup_carries_the_questionnaires_a_practice_added_and_a_restore_puts_back_the_missing_ones(
    own_keys, tmp_path, ana, monkeypatch
):
    """On a new server the answers to an added questionnaire stay readable: its file comes back with them."""
    data = json.loads((SHIPPED_DIR / "phq9.json").read_text()) | {"id": "localphq", "short_name": "Local PHQ"}
    (tmp_path / "local.json").write_text(json.dumps(data))
    registry.add_file(tmp_path / "local.json")
    answers = {item.id: 1 for item in registry.get("localphq").items}
    record_administration(therapist=ana, instrument=registry.get("localphq"), client=make_client(ana), answers=answers)
    added = own_keys.parent / "instruments" / "localphq.json"
    written = backup(tmp_path / "with-files.backup")
    assert b"Local PHQ" not in written.read_bytes()  # sealed with the rest

    added.unlink()  # a new server: the database comes back, the folder is empty
    out = StringIO()
    call_command("restore", str(written), "--force", stdout=out)
    assert "Put back 1 file(s) the database names: instruments/localphq.json" in out.getvalue()
    assert json.loads(added.read_text())["short_name"] == "Local PHQ" and added.stat().st_mode & 0o777 == 0o600

    added.write_text(added.read_text().replace("Local PHQ", "Changed here"))  # never replaced by a restore
    err = StringIO()
    call_command("restore", str(written), "--force", stdout=StringIO(), stderr=err)
    assert "instruments/localphq.json" in err.getvalue() and "Changed here" in added.read_text()

    monkeypatch.setattr(backup_module, "_pack", lambda database, payload: database)  # as earlier releases wrote
    earlier = backup(tmp_path / "database-only.backup")
    assert restore(earlier, force=True) == backup_module.Restored()
