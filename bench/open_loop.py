"""Open loop: 200 therapists acting every 20–40 s against the real server (`reciprocity serve`, gunicorn).

The realistic counterpart of bench/load.py's closed loop, which saturates the server. Each therapist signs in
through the login form, then acts as a Poisson process with a mean gap of its own (drawn between 20 and 40 s;
the gaps are exponential) for `--seconds`. Each action is the next step of bench/load.py's cycle (log a session
through the real form POST, save its reflection through the real form POST, read Today, read the dashboard),
starting at a random step, so writes and reads mix as in a day's work.

An action is sent at its time whether or not earlier ones have answered, except that one therapist's browser
never sends two at once: an action due while the same therapist's previous one is still running waits for it,
and that wait is reported. Latency counts from the time the action was due (so waiting is not hidden: no
coordinated omission); service time counts from sending the request.

The site runs as deployed, with `reciprocity worker` beside the server (`--task-runner immediate` indexes in
the request instead), as bench/load.py does; how long a saved reflection took to become searchable is reported.

Reported per kind of request and overall: count, p50, p95 and max latency, against the targets (p95 under
300 ms, no 5xx, no lost write), and the server's CPU per request. It fails (exit status 1) on any 5xx, other
unexpected answer or unanswered request, on any lost write, counted in the database as bench/load.py does, and
on any acknowledged reflection not searchable once the worker's queue is empty, or a failed task.

Run with `make bench`, or `python bench/open_loop.py --label SQLite` and
`scripts/with-postgres .venv/bin/python bench/open_loop.py --label PostgreSQL`.
"""

import argparse
import collections
import dataclasses
import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    CLIENTS_EACH,
    KINDS,
    PASSWORD,
    SESSION_PAGE,
    SESSIONS_EACH,
    Browser,
    Sample,
    Therapist,
    Worker,
    add_task_runner_option,
    count_in_database,
    create_therapists,
    failures,
    is_expected,
    lag_text,
    percentile,
    progress_printer,
    reflection_form,
    search_lags,
    server_cpu_seconds,
    server_errors_logged,
    serving,
    session_form,
    sign_in,
    use_served_database,
)

MEAN_GAP_S = (20.0, 40.0)  # each therapist's mean time between two actions is drawn from this range
TARGET_P95_MS = 300.0
AT_ONCE = 8  # sign-ins and the untimed steps before the run go 8 at a time, as in bench/load.py
WARM_CYCLES_FOR = 16  # therapists who also play one whole untimed cycle, so every worker has rendered every page
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@dataclasses.dataclass
class Timed(Sample):
    """One action's request; `ms` counts from the time the action was due, not from when it was sent."""

    service_ms: float  # from sending the request to its answer
    waited_ms: float  # from the time it was due to sending it
    behind_own: bool  # it fell due while the same therapist's previous action was still running


@dataclasses.dataclass
class Actor:
    """One therapist in the open loop: their browser, their pace and where they are in the cycle."""

    therapist: Therapist
    browser: Browser
    rng: random.Random  # for the forms' contents
    mean_gap_s: float
    start_step: int  # the step of the cycle (an index into KINDS) the run starts at
    step: int = 0  # the next step
    session_id: int | None = None  # the session saved last, waiting for its reflection
    samples: list[Timed] = dataclasses.field(default_factory=list)
    due: collections.deque[float] = dataclasses.field(default_factory=collections.deque)  # fell due while busy
    busy: bool = False
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


@dataclasses.dataclass
class Run:
    """Everything one run measured, for the report; filled in as the run goes."""

    seconds: float
    on_postgres: bool
    actors: list[Actor] = dataclasses.field(default_factory=list)
    setup_s: float = 0.0
    sign_in_s: float = 0.0
    untimed: list[Timed] = dataclasses.field(default_factory=list)  # the steps played to reach the start
    initial: tuple[int, int] = (0, 0)  # sessions and reflections stored once the therapists were created
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    counted: tuple[int, int, int, int] = (0, 0, 0, 0)  # count_in_database after the run
    task_runner: str = "database"
    lags: list[float] = dataclasses.field(default_factory=list)  # save to searchable, s, for the timed saves
    searchable: int = 0  # acknowledged reflections with their search document, untimed ones included
    failed_tasks: int = 0
    logged: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def samples(self) -> list[Timed]:
        return [s for actor in self.actors for s in actor.samples]

    @property
    def lost(self) -> int:
        """Acknowledged sessions and reflections that are not in the database."""
        return sum(acknowledged(self)) - self.counted[0] - self.counted[1]


def create_therapists_quickly(count: int) -> list[Therapist]:
    """bench/load.py's therapists, all given one password hash at the end: Argon2 is slow on purpose (about
    a quarter of a second each here), so hashing once instead of once each saves most of a minute."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        therapists = create_therapists(count)
    users = get_user_model().objects.filter(username__in=[t.username for t in therapists])
    users.update(password=make_password(PASSWORD))  # the server's own hasher, so signing in costs what it does
    return therapists


def cast(therapists: list[Therapist], browsers: list[Browser], rng: random.Random) -> list[Actor]:
    """An actor per therapist, with a mean gap between its actions and a starting step drawn at random."""
    return [
        Actor(t, b, random.Random(rng.getrandbits(32)), rng.uniform(*MEAN_GAP_S), rng.randrange(len(KINDS)))
        for t, b in zip(therapists, browsers, strict=True)
    ]


def arrivals(mean_gap_s: float, seconds: float, rng: random.Random) -> list[float]:
    """A Poisson process's times from 0 to `seconds`: exponential gaps of mean `mean_gap_s`. The first gap is
    exponential too, which for a Poisson process is the same as starting at a random phase."""
    times, at = [], rng.expovariate(1 / mean_gap_s)
    while at < seconds:
        times.append(at)
        at += rng.expovariate(1 / mean_gap_s)
    return times


def timetable(actors: list[Actor], seconds: float, rng: random.Random) -> list[tuple[float, int]]:
    """(seconds from the start, actor index) of every action in the run, in time order."""
    return sorted((at, index) for index, actor in enumerate(actors) for at in arrivals(actor.mean_gap_s, seconds, rng))


def request_for(actor: Actor, kind: str) -> tuple[str, str, dict[str, object] | None]:
    """(method, path, form fields) of one step of bench/load.py's cycle."""
    if kind == KINDS[0]:
        return "POST", "/sessions/new/", session_form(actor.therapist, actor.rng)
    if kind == KINDS[1]:
        assert actor.session_id is not None, "take_step skips the reflection when the session was not saved"
        return "POST", f"/reflections/new/?session={actor.session_id}", reflection_form(actor.session_id, actor.rng)
    return "GET", "/" if kind == KINDS[2] else "/dashboard/", None


def remember_write(actor: Actor, kind: str, status: int, location: str) -> None:
    """Note an acknowledged session (to reflect on next) or reflection, as bench/load.py does."""
    if kind == KINDS[0]:
        saved = SESSION_PAGE.match(location) if status == 302 else None
        actor.session_id = int(saved.group(1)) if saved else None
        if actor.session_id is not None:
            actor.therapist.sessions_acknowledged.append(actor.session_id)
    elif kind == KINDS[1]:
        if status == 302 and location == "/" and actor.session_id is not None:
            actor.therapist.reflections_acknowledged.append(actor.session_id)
        actor.session_id = None


def take_step(actor: Actor, due_at: float, behind_own: bool = False) -> Timed:
    """Send the actor's next request of the cycle and time it from `due_at` (a perf_counter time)."""
    if actor.step == 1 and actor.session_id is None:  # the session was not saved: nothing to reflect on
        actor.step = 2
    kind = KINDS[actor.step]
    method, path, fields = request_for(actor, kind)
    sent = time.perf_counter()
    status, location, _ = actor.browser.request(method, path, fields)
    answered = time.perf_counter()
    remember_write(actor, kind, status, location)
    actor.step = (actor.step + 1) % len(KINDS)
    return Timed(
        kind=kind,
        status=status,
        ms=(answered - due_at) * 1000,
        ok=is_expected(kind, method, status, location),
        service_ms=(answered - sent) * 1000,
        waited_ms=(sent - due_at) * 1000,
        behind_own=behind_own,
    )


def reach_start(actor: Actor, warm_cycle: bool) -> list[Timed]:
    """Play the steps of the cycle before the actor's starting step, untimed (so a run that starts with a
    reflection has its session), after one whole cycle if `warm_cycle`."""
    actor.step = 0
    steps = actor.start_step + (len(KINDS) if warm_cycle else 0)
    return [take_step(actor, time.perf_counter()) for _ in range(steps)]


def act(actor: Actor, due_at: float) -> None:
    """Take the step that fell due at `due_at`, then, in order, any that fell due while it ran."""
    behind_own = False
    while True:
        actor.samples.append(take_step(actor, due_at, behind_own))
        with actor.lock:
            if not actor.due:
                actor.busy = False
                return
            due_at, behind_own = actor.due.popleft(), True


def dispatch(pool: ThreadPoolExecutor, actor: Actor, due_at: float) -> Future[None] | None:
    """Start the actor's action now, or right after their previous one if that is still running."""
    with actor.lock:
        if actor.busy:
            actor.due.append(due_at)
            return None
        actor.busy = True
    return pool.submit(act, actor, due_at)


def run_open_loop(actors: list[Actor], plan: list[tuple[float, int]]) -> float:
    """Send every action of `plan` at its time; returns the seconds from the start to the last answer."""
    started: list[Future[None]] = []
    # At most one action per therapist is in flight, so with a thread each no action waits for a thread.
    with ThreadPoolExecutor(max_workers=len(actors)) as pool:
        start = time.perf_counter()
        for offset, index in plan:
            time.sleep(max(0.0, start + offset - time.perf_counter()))
            if future := dispatch(pool, actors[index], start + offset):
                started.append(future)
    for future in started:
        future.result()  # a bug in the load generator surfaces here instead of vanishing in the pool
    return time.perf_counter() - start


def latency_rows(samples: list[Timed]) -> list[tuple[str, int, float, float, float, float, float]]:
    """(kind, count, p50, p95 and max ms from the due time, p50 and p95 service ms) per kind, then overall."""
    rows = []
    for kind in (*KINDS, "all requests"):
        chosen = [s for s in samples if kind == "all requests" or s.kind == kind]
        if chosen:
            due, service = sorted(s.ms for s in chosen), sorted(s.service_ms for s in chosen)
            rows.append(
                (kind, len(chosen), statistics.median(due), percentile(due, 0.95), due[-1],
                 statistics.median(service), percentile(service, 0.95))
            )  # fmt: skip
    return rows


def method_text(run: Run, args: argparse.Namespace, load_before: float) -> list[str]:
    """The section's heading and how the figures were made."""
    actors = run.actors
    sign_ins = sorted(a.therapist.sign_in_ms for a in actors)
    rate = sum(1 / a.mean_gap_s for a in actors)
    return [
        f"## Open loop: {len(actors)} therapists acting every {MEAN_GAP_S[0]:.0f}–{MEAN_GAP_S[1]:.0f} s — "
        f"{args.label} (bench/open_loop.py)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores (shared; "
        f"load average {load_before:.1f} when it started), Python {platform.python_version()}; reproduce with "
        f"`make bench` (or `python bench/open_loop.py --label {args.label}`"
        + (", under `scripts/with-postgres`" if run.on_postgres else "")
        + f"). The real server (`reciprocity serve`: gunicorn, {args.workers} workers × 4 threads) on 127.0.0.1, "
        "a new data directory and migrated database; "
        + (
            "as deployed (docs/deploy.md, compose.yaml), `TASK_RUNNER=database` with `reciprocity worker` beside "
            "the server indexing each saved reflection for search"
            if run.task_runner == "database"
            else "background tasks run in the request (`--task-runner immediate`)"
        )
        + "; the load generator runs on the same machine.",
        "",
        f"{len(actors)} therapists (bench/load.py's: {CLIENTS_EACH} clients and {SESSIONS_EACH} sessions each, "
        f"created in {run.setup_s:.0f} s) sign in through the login form, {AT_ONCE} at a time, in "
        f"{run.sign_in_s:.0f} s (p50 {statistics.median(sign_ins):.0f} ms, p95 {percentile(sign_ins, 0.95):.0f} "
        f"ms). Then, for {run.seconds:.0f} s, each acts as a Poisson process whose mean gap was drawn for it "
        f"between {MEAN_GAP_S[0]:.0f} and {MEAN_GAP_S[1]:.0f} s ({rate:.1f} actions/s expected in all; "
        f"{len(run.samples):,} came due). An action is the next step of bench/load.py's cycle (log a session "
        "and save its reflection through the real form POSTs, read Today, read the dashboard), from a starting "
        "step drawn for each therapist and reached by playing the steps before it untimed. Open loop: each "
        "action is sent at its time whether or not earlier ones have answered, except that one therapist never "
        "has two requests in flight. Latency counts from the time the action was due, so time spent waiting "
        "anywhere is included (no coordinated omission); service time counts from sending the request.",
    ]


def results_text(run: Run) -> list[str]:
    """The latency table and how long actions waited before they could be sent."""
    lines = [
        "| request | count | p50 ms | p95 ms | max ms | service p50 ms | service p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, count, p50, p95, longest, service_p50, service_p95 in latency_rows(run.samples):
        lines.append(f"| {kind} | {count:,} | {p50:.0f} | {p95:.0f} | {longest:.0f} | {service_p50:.0f} | "
                     f"{service_p95:.0f} |")  # fmt: skip
    behind = [s.waited_ms for s in run.samples if s.behind_own]
    on_time = [s.waited_ms for s in run.samples if not s.behind_own]
    lines += [
        "",
        f"{len(behind)} actions fell due while the same therapist's previous one was still running"
        + (f" and waited for it (longest {max(behind):.0f} ms)" if behind else "")
        + f"; every other was sent within {max(on_time, default=0):.0f} ms of its time.",
    ]
    return lines


def acknowledged(run: Run) -> tuple[int, int]:
    """Sessions and reflections the server acknowledged, the untimed steps' included."""
    therapists = [a.therapist for a in run.actors]
    return (
        sum(len(t.sessions_acknowledged) for t in therapists),
        sum(len(t.reflections_acknowledged) for t in therapists),
    )


def targets_text(run: Run, server_errors: int) -> str:
    """Whether the product's targets were met: p95 under 300 ms for every kind of request, no 5xx, no lost write."""
    highest = max(((row[0], row[3]) for row in latency_rows(run.samples)), key=lambda kp: kp[1], default=("-", 0.0))

    def met(ok: bool) -> str:
        return "**met**" if ok else "**missed**"

    return (
        f"Targets: p95 under {TARGET_P95_MS:.0f} ms for every kind of request {met(highest[1] < TARGET_P95_MS)} "
        f"(highest: {highest[0]}, {highest[1]:.0f} ms); no 5xx {met(server_errors == 0)} ({server_errors}); "
        f"no lost write {met(run.lost == 0)} ({run.lost})."
    )


def answers_text(run: Run) -> tuple[str, bool]:
    """The answers and the writes counted in the database; and whether the run passed."""
    answered = run.samples + run.untimed
    server_errors = sum(1 for s in answered if s.status >= 500)
    failed = failures(answered)
    sessions, reflections = acknowledged(run)
    unacknowledged = sum(run.counted[2:]) - sum(run.initial) - sessions - reflections
    unsearchable = reflections - run.searchable
    passed = not failed and not run.lost and not unsearchable and not run.failed_tasks
    text = (
        f"{len(run.samples):,} requests in {run.wall_s:.0f} s (until the last answer); counting the untimed "
        f"steps, {server_errors} answered 5xx, {sum(1 for s in answered if s.status == 0)} unanswered"
        + (f"; every unexpected answer: {failed}" if failed else "")
        + f". Writes acknowledged, untimed ones included: {sessions:,} sessions and {reflections:,} reflections; "
        f"found in the database afterwards: {run.counted[0]:,} and {run.counted[1]:,} (lost: {run.lost}; stored "
        f"without an acknowledgement: {unacknowledged}); searchable afterwards: {run.searchable:,} of the "
        f"{reflections:,} reflections, with {run.failed_tasks} failed tasks. "
        f"**{'passed' if passed else 'FAILED'}** (the run fails on any 5xx, other unexpected answer, unanswered "
        "request, lost write, reflection left unsearchable or failed task)."
    )
    return text, passed


def server_text(run: Run) -> list[str]:
    """The server's CPU per request and the exceptions in its log."""
    lines = [
        f"Server CPU (its processes, from /proc): {run.server_cpu_s / run.wall_s:.2f} of the {os.cpu_count()} "
        f"cores busy on average, {run.server_cpu_s * 1000 / max(1, len(run.samples)):.0f} ms of CPU per request"
        + (" (the database server's own CPU is not included)." if run.on_postgres else "."),
        "",
        "From save to searchable, for the reflections saved in the measured time: "
        + lag_text(run.lags)
        + (
            " (the worker looks for queued work every second when its queue is empty)."
            if run.task_runner == "database"
            else " (indexed in the request, after its commit)."
        ),
    ]
    if run.logged:
        lines += ["", "Errors in the server's log (the exception ending each traceback, and how often):", ""]
        lines += [f"- `{line}` × {count}" for line, count in sorted(run.logged.items(), key=lambda kv: -kv[1])]
    return lines


READING = (
    "Reading it: bench/load.py's closed loop asks how much the server can do (each therapist sends the next "
    "request the moment the last one answers, so the server is always saturated and latency grows with the "
    "queue). Here the therapists set the rate of work, as in a clinic, and the question is how long each of "
    "them waits at that rate. The p50 is the ordinary experience, the p95 the one request in twenty that a "
    "therapist notices, the max a single worst moment (a slow worker, a lock, the machine's other work). "
    "Latency minus service time is the wait before the request was sent (behind the same therapist's previous "
    "action, or the load generator's own lag); service time includes any queueing inside the server behind "
    "other therapists' requests. With a few hundred requests per run the p95 rests on a few dozen per kind of "
    "request, and the max on one: compare runs by the p50 and p95."
)


def prepare(run: Run, args: argparse.Namespace, port: int, progress: Callable[[str], None]) -> None:
    """Create and sign in the therapists and bring each to its starting step."""
    began = time.perf_counter()
    therapists = create_therapists_quickly(args.therapists)
    run.setup_s = time.perf_counter() - began
    stored = count_in_database(therapists)
    run.initial = (stored[2], stored[3])
    browsers = [Browser("127.0.0.1", port) for _ in therapists]
    progress("signing in through the login form")
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        list(pool.map(sign_in, browsers, therapists))
    run.sign_in_s = time.perf_counter() - began
    run.actors = cast(therapists, browsers, random.Random(args.seed))
    progress("bringing each therapist to its starting step, untimed")
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        played = pool.map(lambda pair: reach_start(pair[1], pair[0] < WARM_CYCLES_FOR), enumerate(run.actors))
        run.untimed = [sample for samples in played for sample in samples]


def measure(args: argparse.Namespace, progress: Callable[[str], None]) -> Run:
    """Serve a new site, prepare the therapists, run the open loop and count the writes in the database."""
    run = Run(seconds=args.seconds, on_postgres="DATABASE_URL" in os.environ, task_runner=args.task_runner)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        with serving(Path(tmp) / "site", log, args.task_runner) as served:
            base, env, server_pid = served.base, served.env, served.pid
            use_served_database(env)
            from django.db import connection

            progress(f"server up; creating {args.therapists} therapists")
            prepare(run, args, int(base.rsplit(":", 1)[1]), progress)
            connection.close()
            plan = timetable(run.actors, args.seconds, random.Random(args.seed + 1))
            worker = Worker(served.worker_pid)
            worker.drain("the queue of the untimed steps", progress)
            progress(f"open loop: {len(plan)} actions due over {args.seconds:.0f} s")
            began = datetime.datetime.now(datetime.UTC)
            cpu_before = server_cpu_seconds(server_pid)
            run.wall_s = run_open_loop(run.actors, plan)
            run.server_cpu_s = server_cpu_seconds(server_pid) - cpu_before
            for actor in run.actors:
                actor.browser.close()
            worker.drain("the queue left by the open loop", progress)
            progress("counting the rows in the database")
            therapists = [a.therapist for a in run.actors]
            run.counted = count_in_database(therapists)
            run.searchable, run.lags = len(search_lags(therapists)), search_lags(therapists, began)
            run.failed_tasks = worker.failed_tasks()
            connection.close()
        run.logged = server_errors_logged(log)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60, help="measured time after all have signed in")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (4 threads each)")
    parser.add_argument("--seed", type=int, default=1, help="for the therapists' paces, start steps and forms")
    add_task_runner_option(parser)
    parser.add_argument("--no-write", action="store_true", help="print the results without writing the docs")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    os.environ["WEB_WORKERS"] = str(args.workers)
    progress = progress_printer(args.label)

    progress("migrating and starting the server")
    run = measure(args, progress)
    server_errors = sum(1 for s in run.samples + run.untimed if s.status >= 500)
    answers, passed = answers_text(run)
    text = "\n".join(
        [*method_text(run, args, load_before), "", *results_text(run), "", targets_text(run, server_errors), "",
         answers, "", *server_text(run), "", READING]
    )  # fmt: skip
    print(text)
    if not args.no_write:
        from bench.report import write_section

        write_section(f"open-loop-{args.label.lower()}", text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
