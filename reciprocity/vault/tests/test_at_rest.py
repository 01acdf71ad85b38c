"""What a copied database file holds, and what a killed process leaves behind: real files, real servers.

Each test migrates a database of its own in a subprocess (a SQLite file in a temporary data
directory, or a fresh database on the run's PostgreSQL server) and works on it through the
`reciprocity` command, exactly as an operator would.
"""

import datetime
import os
import signal
import sqlite3
import stat
import subprocess
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from tests.servers import CLI, app_env, own_database, run_cli

CANARY = "Quokkazanzibar"  # written into every encrypted column; must appear nowhere at rest
CONTROL = "Clinicofthecanary"  # a practice name, stored plain: proves the scans can find text
PG_BIN = Path("/usr/lib/postgresql/15/bin")

SEED = f"""
from tests.builders import make_client, make_reflection, make_session, make_user
from tests.sweep import owned_objects
from reciprocity.practice.models import Practice
from reciprocity.vault.fields import encrypted_fields

import datetime
from reciprocity.development.services import log_activity
from reciprocity.peers import services as peers
from reciprocity.practice.models import TwoFactor
from reciprocity.prompts import services as prompts
from reciprocity.prompts.selectors import asked_on
from reciprocity.sharing import services as sharing

owner = make_user("ana", practice=Practice.objects.create(name="{CONTROL}"))
made = owned_objects(make_reflection(make_session(make_client(owner, "N-0007")), gave_me="first"))
day = datetime.date(2026, 3, 1)
sharing.comment(made["share"], by=made["kim"], text="a comment")
sharing.record_meeting(made["supervision"], by=owner, held_on=day, agenda=[made["share"]], notes="met")
peers.reply(made["post"], by=owner, text="a reply")
log_activity(owner, kind="training", day=day, title="a workshop", hours=2)
TwoFactor.objects.create(user=owner, secret="JBSWY3DPEHPK3PXP")
prompts.add_prompt(owner, "What did my body tell me?")
prompts.save_answers(made["reflection"], [(asked_on(owner, made["reflection"])[0], "an answer")])
for model, fields in encrypted_fields():
    rows = list(model.objects.all())
    print("rows", model._meta.label, len(rows))
    if model._meta.label == "vault.KeyCanary":  # sealed at first start with a text of its own, kept as it is
        continue
    for row in rows:
        for field in fields:
            if field.get_internal_type() == "TextField":  # the search vectors get theirs from the texts
                setattr(row, field.attname, "{CANARY} " + field.name)
        row.save()
"""

# Every decrypted text of every encrypted column, hashed: equal before and after means nothing was lost.
DIGEST = """
import hashlib
from reciprocity.vault.fields import encrypted_fields
digest = hashlib.sha256()
for model, fields in encrypted_fields():
    for row in model.objects.order_by("pk").values_list("pk", *[f.attname for f in fields]):
        digest.update(repr((model._meta.label, row)).encode())
print("digest", digest.hexdigest())
"""

BULK = """
import datetime
from django.utils import timezone
from reciprocity.clients.models import Client
from reciprocity.practice.models import User
from reciprocity.therapy.models import KEYS, Reflection, Session
owner = User.objects.get(username="ana")
client = Client.objects.get(code="N-0007")
start = timezone.now() - datetime.timedelta(days=4000)
sessions = Session.objects.bulk_create(
    Session(client=client, starts_at=start + datetime.timedelta(hours=n)) for n in range(4000)
)
reflections = []
for n, s in enumerate(sessions):
    reflection = Reflection(author=owner, session=s, occurred_at=s.starts_at, gave_me=f"Entry {n}", carry_home="Home")
    reflection.set_ratings(dict.fromkeys(KEYS, 2))
    reflections.append(reflection)
Reflection.objects.bulk_create(reflections)
"""


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    result = run_cli(args, env, stdin)
    assert result.returncode == 0, f"reciprocity {' '.join(args)}: {result.stderr[-2000:]}"
    return result.stdout


def shell(env: dict[str, str], code: str) -> str:
    return cli(env, "shell", "--no-imports", "-c", code)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated database of this module's own, seeded with canary text in every encrypted column."""
    data_dir = tmp_path_factory.mktemp("data")
    with own_database() as url:
        env = app_env(data_dir, url) | {"PYTHONUNBUFFERED": "1", "PYTHONPATH": str(Path.cwd())}
        cli(env, "migrate", "--no-input", "-v", "0")
        seeded = shell(env, SEED)
        yield env, url, data_dir, seeded


def at_rest(url: str | None, data_dir: Path) -> bytes:
    """Everything a thief who copied the database would hold: the SQLite file and its WAL, or a pg_dump."""
    if url is None:
        base = data_dir / "reciprocity.sqlite3"
        return b"".join(p.read_bytes() for p in (base, base.with_name(base.name + "-wal")) if p.exists())
    config = dj_database_url.parse(url)
    dump = subprocess.run(
        [
            str(PG_BIN / "pg_dump"),
            "-h",
            config["HOST"],
            "-p",
            str(config["PORT"]),
            "-U",
            config["USER"],
            config["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return dump.stdout


def integrity_problems(url: str | None, data_dir: Path) -> list[str]:
    """SQLite's integrity check, or amcheck over every B-tree index on PostgreSQL."""
    if url is None:
        with sqlite3.connect(data_dir / "reciprocity.sqlite3") as conn:
            return [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"], port=config["PORT"], user=config["USER"], dbname=config["NAME"]) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = conn.execute(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relpersistence = 'p' "
            "AND c.relnamespace = 'public'::regnamespace"
        ).fetchall()
        for (index,) in indexes:
            conn.execute("SELECT bt_index_check(%s::regclass, true)", [index])
        return []


def test_canary_text_appears_nowhere_at_rest(database):
    env, url, data_dir, seeded = database
    counts = dict(line.split()[1:] for line in seeded.splitlines() if line.startswith("rows "))
    assert counts and all(int(n) > 0 for n in counts.values()), f"seed a row of every encrypted model: {counts}"
    if url is None:  # the files themselves are the service user's alone
        files = [p for p in data_dir.iterdir() if p.name.startswith(("reciprocity.sqlite3", "encryption.keys"))]
        assert files and {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == dict.fromkeys(
            [p.name for p in files], 0o600
        )
    stored = at_rest(url, data_dir).lower()
    assert CONTROL.lower().encode() in stored, "the scan must be able to see plain text"
    assert CANARY.lower().encode() not in stored
    read_back = "from reciprocity.therapy.models import Reflection; print(Reflection.objects.get().gave_me)"
    assert shell(env, read_back).strip() == f"{CANARY} gave_me"  # the app still reads what the file hides


def wait_for_line(process: subprocess.Popen[str], marker: str) -> str:
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"the process ended before printing {marker!r}: {''.join(seen)}")


def test_a_rotation_killed_midway_leaves_every_text_readable_and_resumes(database):
    env, url, data_dir, _ = database
    shell(env, BULK)
    before = shell(env, DIGEST)
    process = subprocess.Popen(
        [*CLI, "rotate-key", "--grace", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    wait_for_line(process, "rows checked")
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert integrity_problems(url, data_dir) == []
    keys = (data_dir / "encryption.keys").read_text().split()
    assert len(keys) == 2, "killed mid-way: the new key and the old one are both still there"
    assert shell(env, DIGEST) == before
    stale = shell(env, "from reciprocity.vault.rotation import stale_count; print(stale_count())")
    assert int(stale) > 0, "the kill must land before the rotation ended, or this test proves nothing"
    finished = cli(env, "rotate-key", "--grace", "0")
    assert f"Every text is under {keys[0].split(':')[0]}" in finished  # resumed with the same new key
    assert shell(env, DIGEST) == before
    assert len((data_dir / "encryption.keys").read_text().split()) == 1


def wait_for_bytes(stream, marker: bytes) -> None:  # type: ignore[no-untyped-def]
    """Read a progress stream (lines end in \\r, not \\n) until marker shows."""
    seen = b""
    while marker not in seen:
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            raise AssertionError(f"the process ended before printing {marker!r}: {seen[-2000:]!r}")
        seen += chunk


def test_an_import_killed_while_writing_writes_nothing(database, tmp_path):
    env, url, data_dir, _ = database
    first = datetime.datetime(2030, 1, 1, 8, 0)
    when = [(first + datetime.timedelta(hours=n)).strftime("%Y-%m-%d %H:%M") for n in range(30000)]
    lines = ["Client,When,Load", *(f"I-{n % 400:04d},{w},{n % 11}" for n, w in enumerate(when))]
    csv = tmp_path / "sessions.csv"
    csv.write_text("\n".join(lines) + "\n")
    count = "from reciprocity.therapy.models import Session; print(Session.objects.count())"
    sessions_before = shell(env, count)
    process = subprocess.Popen(
        [*CLI, "import", "sessions", str(csv), "--user", "ana", "--map", "Client=client", "When=starts_at",
         "Load=emotional_load"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    wait_for_bytes(process.stderr, b"writing sessions: ")  # the first batch is in, uncommitted
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert integrity_problems(url, data_dir) == []
    assert shell(env, count) == sessions_before
    done = run_cli(["import", "sessions", str(csv), "--user", "ana", "--map", "Client=client", "When=starts_at",
                    "Load=emotional_load"], env)  # fmt: skip
    assert done.returncode == 0 and "Imported 30000 sessions" in done.stdout, done.stderr[-2000:]
