"""How long SQLite's one write lock is held per saved reflection: now, and as it was before (indexing inside).

On SQLite a write transaction holds the database's only write lock from its BEGIN to its COMMIT, and every
other writer in every worker waits meanwhile, so the hold time per saved reflection caps how many
reflections a second the whole server can take. Two ways of saving, in the same run on the same data
(pair i saves the same text both ways, in alternating order, each on its own session):

- now: `write_reflection` as the app calls it; its search indexing (the embedding model) is queued with
  `transaction.on_commit` and, with the default `TASK_RUNNER=immediate`, runs after the commit within the call;
- before (the baseline): the same write with `index_entry` inside the same transaction, as the code did.

The clock. Settings open every transaction with `BEGIN IMMEDIATE` (it takes the write lock at BEGIN), which
Django sends through the cursor, so an execute wrapper notes when it returns (the lock is now held); Django's
`commit()` on the connection is wrapped to note when the COMMIT returns (the lock is free again). No other
process uses the throwaway database, so BEGIN never waits and its return is when the lock was taken. A write
outside any transaction (none occur today) would count as a hold for its own statement. A save can cause more
than one write transaction (the document upsert after the commit is its own short one), so "hold per save" is
the sum of every hold during the call; the server's ceiling is 1000 ÷ the mean of that sum in ms. The time
spent in the statements and COMMITs themselves is noted too, to tell SQL from Python run with the lock held.

Run with `make bench` or `.venv/bin/python bench/write_lock.py`; results go to docs/benchmarks.md.
"""

import contextlib
import dataclasses
import datetime
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAVES = 200  # per path
WARM_UP = 5  # saves per path before the clock counts, so Django's and SQLite's caches are warm
TARGET_P95_MS = 15.0
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
SENTENCES = (
    "She arrived late and apologised twice before she sat down.",
    "He talked about his father's illness for the first time without looking away.",
    "We sat with a long silence and I did not rush to fill it.",
    "Her fear of being a burden sounded a lot like my own.",
    "I noticed my shoulders tighten when he raised his voice.",
    "The breathing exercise helped both of us settle.",
    "He said the homework felt pointless, and I felt defensive for a moment.",
    "She laughed at herself when she caught the catastrophising.",
    "Naming the grief out loud changed the room.",
    "I was tired going in and it showed in how little I followed up.",
    "We practised saying no in a low-stakes situation first.",
    "He described the panic in his car in vivid detail.",
    "Her progress this month was real and she could see it too.",
    "I kept the boundary about the session ending on time, kindly.",
    "The couple finally listened to each other instead of rehearsing replies.",
    "I felt moved when she read the letter to her younger self.",
    "He tested whether I would judge him and I did not take the bait.",
    "We mapped the cycle of avoidance on the whiteboard together.",
    "Her sleep has improved since she stopped checking her phone at night.",
    "I caught myself wanting to rescue him from the discomfort.",
    "The group shared stories about stigma at work.",
    "She asked what I do when I feel overwhelmed, and I answered honestly but briefly.",
    "He noticed the thought, labelled it, and let it pass.",
    "Talking about the anniversary of the loss took most of the hour.",
    "I was reminded how much small steps matter.",
    "Her anger at her manager was clearer and less frightening to her today.",
    "We slowed down when the memory became too vivid.",
    "He brought a list of wins from the week without being asked.",
    "I felt the pull to overwork again after this session.",
    "She set a limit with her sister and it held.",
    "The grounding exercise worked better standing up.",
    "He said that coming here is the only hour in the week nobody needs anything from him.",
    "I need to take my own advice about lunch breaks.",
    "Her hope came back in small flashes during the session.",
    "We ended with a plan for the difficult weekend ahead.",
    "I left the session lighter than I arrived.",
)
CARRY_HOME = (
    "Pause before answering.",
    "Take the full lunch break.",
    "Walk home the long way.",
    "Breathe out longer than in.",
    "Say no to the extra shift.",
    "Call my own sister this week.",
    "Leave the notes at the office.",
    "Notice the first sign of tiredness.",
)


@dataclasses.dataclass
class Hold:
    """One write transaction: how long it held the lock, and how much of that went to SQL."""

    ms: float
    sql_ms: float  # its statements and its COMMIT; the rest is Python run while the transaction was open


@dataclasses.dataclass
class Save:
    """One saved reflection: the write lock's holds during the whole call, and the call's own time."""

    holds: list[Hold]  # each write transaction during the call, in order
    total_ms: float  # the whole call, with the indexing that runs after the commit
    indexed: bool  # its search document exists when the call returns

    @property
    def hold_ms(self) -> float:
        return sum(h.ms for h in self.holds)

    @property
    def sql_ms(self) -> float:
        return sum(h.sql_ms for h in self.holds)


class LockClock:
    """Notes each write-lock hold on one connection: from BEGIN IMMEDIATE returning to COMMIT returning."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.holds: list[Hold] = []
        self.began: float | None = None
        self.sql_ms = 0.0  # within the open transaction, so far

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        """The execute wrapper: the lock is held once BEGIN returns; a lone write holds it while it runs."""
        alone = not self.connection.in_atomic_block and sql.lstrip().upper().startswith(WRITES)
        start = time.perf_counter()
        result = execute(sql, params, many, context)
        ms = (time.perf_counter() - start) * 1000
        if sql.startswith("BEGIN"):
            self.began, self.sql_ms = time.perf_counter(), 0.0
        elif alone:
            self.holds.append(Hold(ms=ms, sql_ms=ms))
        elif self.began is not None:
            self.sql_ms += ms
        return result

    @contextlib.contextmanager
    def running(self) -> Iterator["LockClock"]:
        """Wrap this connection's execute and commit while the block runs."""
        plain_commit = self.connection.commit

        def commit() -> None:
            start = time.perf_counter()
            plain_commit()
            end = time.perf_counter()
            assert self.began is not None, "a COMMIT without a BEGIN the clock saw"
            self.holds.append(Hold(ms=(end - self.began) * 1000, sql_ms=self.sql_ms + (end - start) * 1000))
            self.began = None

        self.connection.commit = commit
        try:
            with self.connection.execute_wrapper(self):
                yield self
        finally:
            del self.connection.commit

    def take(self) -> list[Hold]:
        holds, self.holds = self.holds, []
        return holds


def setup_database(data_dir: str) -> None:
    """Django on a new SQLite file in data_dir, migrated; search indexing runs in the call (the default)."""
    os.environ["RECIPROCITY_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "reciprocity.config.settings"
    os.environ["TASK_RUNNER"] = "immediate"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reflection_texts(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """Varied reflections: 1–3 sentences of what the session gave, and one thing to carry home."""
    rng = random.Random(seed)
    return [(" ".join(rng.sample(SENTENCES, rng.randint(1, 3))), rng.choice(CARRY_HOME)) for _ in range(count)]


def therapist_with_sessions(count: int) -> tuple[Any, list[Any]]:
    """One therapist with one client and `count` past sessions, each still without a reflection."""
    from django.utils import timezone

    from reciprocity.clients.models import Client
    from reciprocity.practice.services import create_user
    from reciprocity.therapy.models import Session

    user = create_user(username="bench-writer", password="bench-writer-pass", check_password=False)
    client = Client.objects.create(therapist=user, code="B-0001", started_on=datetime.date(2020, 1, 6))
    first = timezone.now() - datetime.timedelta(days=count + 1)
    sessions = [
        Session.objects.create(client=client, starts_at=first + datetime.timedelta(days=n), emotional_load=5)
        for n in range(count)
    ]
    return user, sessions


def save_now(user: Any, session: Any, text: tuple[str, str]) -> int:
    """Save as the app does: the indexing runs after the commit."""
    from reciprocity.therapy.dimensions import KEYS
    from reciprocity.therapy.services import write_reflection

    ratings = {key: 3 for key in KEYS}
    return write_reflection(author=user, session=session, ratings=ratings, gave_me=text[0], carry_home=text[1]).pk


def save_before(user: Any, session: Any, text: tuple[str, str]) -> int:
    """Save as the code did before: the indexing inside the write's transaction, holding the lock."""
    from django.db import transaction

    from reciprocity.recall.index import index_entry

    with transaction.atomic():
        pk = save_now(user, session, text)
        index_entry("reflection", pk)  # the after-commit indexing then finds the text unchanged
    return pk


def timed_save(clock: LockClock, save: Callable[..., int], user: Any, session: Any, text: tuple[str, str]) -> Save:
    """Save one reflection one way, and read what it held and whether its search document exists."""
    from reciprocity.recall.models import Document

    clock.take()
    start = time.perf_counter()
    pk = save(user, session, text)
    total_ms = (time.perf_counter() - start) * 1000
    holds = clock.take()
    indexed = Document.objects.filter(kind="reflection", object_id=pk).exists()
    return Save(holds=holds, total_ms=total_ms, indexed=indexed)


def measure(count: int) -> dict[str, list[Save]]:
    """Pairs of saves with the same text, one each way, alternating which goes first; after a warm-up."""
    from django.db import connection

    from reciprocity.recall.embedding import embedder

    embedder().encode(["warm up"])  # loading the model is not part of a save
    paths: dict[str, Callable[..., int]] = {"now": save_now, "before": save_before}
    user, sessions = therapist_with_sessions(2 * (count + WARM_UP))
    texts = reflection_texts(count + WARM_UP)
    saves: dict[str, list[Save]] = {name: [] for name in paths}
    with LockClock(connection).running() as clock:
        for n, text in enumerate(texts):
            order = list(paths) if n % 2 == 0 else list(reversed(paths))
            for name in order:
                save = timed_save(clock, paths[name], user, sessions.pop(), text)
                if n >= WARM_UP:
                    saves[name].append(save)
    return saves


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


@dataclasses.dataclass
class Row:
    """One path's figures, in ms unless named otherwise."""

    path: str
    saves: int
    transactions: float  # write transactions per save, on average
    parts: list[tuple[float, float]]  # p50 and p95 of the 1st, 2nd, … write transaction of a save
    hold_p50: float
    hold_p95: float
    sql_p50: float  # the part of the hold spent in SQL statements and COMMITs
    total_p50: float
    ceiling_per_s: float  # reflections a second the whole server could save, lock hold alone
    indexed: int


def each_transaction(saves: list[Save]) -> list[tuple[float, float]]:
    """p50 and p95 of each save's 1st write transaction, of its 2nd, and so on."""
    parts = []
    for n in range(max(len(s.holds) for s in saves)):
        holds = [s.holds[n].ms for s in saves if len(s.holds) > n]
        parts.append((statistics.median(holds), percentile(holds, 0.95)))
    return parts


def summarise(path: str, saves: list[Save]) -> Row:
    holds = [s.hold_ms for s in saves]
    return Row(
        path=path,
        saves=len(saves),
        transactions=statistics.mean(len(s.holds) for s in saves),
        parts=each_transaction(saves),
        hold_p50=statistics.median(holds),
        hold_p95=percentile(holds, 0.95),
        sql_p50=statistics.median(s.sql_ms for s in saves),
        total_p50=statistics.median(s.total_ms for s in saves),
        ceiling_per_s=1000 / statistics.mean(holds),
        indexed=sum(s.indexed for s in saves),
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| path | saves | write transactions per save | each transaction p50 (p95) ms | lock hold p50 ms | "
        "lock hold p95 ms | of which SQL, p50 ms | save p50 ms (with indexing) | ceiling, reflections/s | "
        "search documents found |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        parts = ", ".join(f"{p50:.2f} ({p95:.2f})" for p50, p95 in r.parts)
        lines.append(
            f"| {r.path} | {r.saves} | {r.transactions:.1f} | {parts} | {r.hold_p50:.2f} | {r.hold_p95:.2f} | "
            f"{r.sql_p50:.2f} | {r.total_p50:.1f} | {r.ceiling_per_s:,.0f} | {r.indexed} of {r.saves} |"
        )
    return lines


def verdict(now: Row, before: Row) -> list[str]:
    met = "met" if now.hold_p95 < TARGET_P95_MS else "**not met**"
    lost = now.saves - now.indexed
    return [
        f"Target: p95 lock hold per saved reflection under {TARGET_P95_MS:.0f} ms — {met} ({now.hold_p95:.2f} ms). "
        f"Every save indexed when the call returned: {'yes' if lost == 0 else f'**no, {lost} missing**'}. "
        f"Of the {now.hold_p50:.2f} ms a save now holds the lock (p50), SQL statements and COMMITs take "
        f"{now.sql_p50:.2f} ms; the rest is the Python run between them (and, on a busy machine, waiting for a core).",
        "",
        f"Indexing after the commit cuts the hold per save from {before.hold_p50:.1f} to {now.hold_p50:.2f} ms "
        f"(p50, {before.hold_p50 / now.hold_p50:.0f}× less) and lifts the lock's ceiling from "
        f"{before.ceiling_per_s:,.0f} to {now.ceiling_per_s:,.0f} reflections a second. The call itself, indexing "
        f"included, takes {now.total_p50:.0f} ms now and {before.total_p50:.0f} ms before (p50): the model still "
        "runs in the request, only no longer while the lock is held.",
    ]


def shared(load: float) -> str:
    """How busy the machine was, in words: other work on the same cores stretches every hold."""
    cores = os.cpu_count() or 1
    busy = "busy with other work" if load >= cores / 2 else "shared"
    return f"{busy}: load average {load:.1f} when it started"


def section(rows: list[Row], load: float) -> list[str]:
    """The text for docs/benchmarks.md."""
    now, before = rows
    return [
        "## Write lock per saved reflection — SQLite (bench/write_lock.py)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores "
        f"({shared(load)}), Python {platform.python_version()}; reproduce with "
        "`make bench` (or `.venv/bin/python bench/write_lock.py`). A new SQLite file (WAL, `BEGIN IMMEDIATE`), "
        f"one therapist, {now.saves} reflections saved each way after {WARM_UP} unmeasured, pairs with the same "
        "text (1–3 sentences) in alternating order, model warm, no other writer. Lock hold = from BEGIN IMMEDIATE "
        "returning to COMMIT returning, summed over every write transaction during the save (the document upsert "
        "after the commit is a short one of its own); ceiling = 1000 ÷ mean hold in ms, what the one write lock "
        "allows the whole server if saving reflections were all it did.",
        "",
        "- now: `write_reflection` as the app calls it; the embedding runs after the commit (`transaction.on_commit`). "
        "Its 1st write transaction inserts the reflection; the 2nd, after the embedding, upserts its search "
        "document and bumps the owner's generation.",
        "- before (baseline): the same save with `index_entry` inside its transaction, as the code did before. "
        "Its 1st write transaction inserts the reflection, embeds it and upserts the document; the 2nd is the "
        "after-commit indexing finding the text unchanged (an empty transaction).",
        "",
        *table(rows),
        "",
        *verdict(now, before),
    ]


def main() -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as data_dir:
        setup_database(data_dir)
        saves = measure(SAVES)
    rows = [summarise(name, saves[name]) for name in ("now", "before")]
    lines = section(rows, load)
    print("\n".join(lines), flush=True)
    from bench.report import write_section

    write_section("write-lock-sqlite", "\n".join(lines))
    if rows[0].indexed < rows[0].saves:
        raise SystemExit("Some reflections had no search document when their save returned.")


if __name__ == "__main__":
    main()
