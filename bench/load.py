"""Load: 50 therapists at once against the real server (`reciprocity serve`, gunicorn) on loopback.

Each therapist signs in through the login form with its own cookies, then loops for `--seconds`: log a new
session and save its reflection through the real form POSTs (with the CSRF token), read Today, read the
dashboard. Reported per kind of request and overall: requests/s, p50 and p95 — beside the baseline measured
in the same run, one therapist running the same loop alone on the same server.

The site runs as deployed (docs/deploy.md, compose.yaml): `TASK_RUNNER=database`, with `reciprocity worker`
beside the server indexing each saved reflection for search. The worker's CPU is reported beside the
server's, with how far its queue fell behind and how long it took to empty; `--task-runner immediate` runs
the indexing in each reflection's own request instead, after its commit.

It fails (exit status 1) on any answer but the expected one (a 5xx, a refused form, a redirect to sign in)
or no answer at all, on any lost write — after the run, every session and reflection the server
acknowledged (a redirect to the saved page) must be in the database, counted there directly — and on any
acknowledged reflection that is not searchable once the worker's queue is empty, or any failed task.
Exceptions in the server's log are listed with the results.

Run with `make bench`, or `python bench/load.py --label SQLite` and
`scripts/with-postgres .venv/bin/python bench/load.py --label PostgreSQL`.
"""

import argparse
import contextlib
import dataclasses
import datetime
import http.client
import http.cookies
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import CLI, app_env, free_port, link_or_copy, own_database, run_cli, wait_until_up  # noqa: E402

PASSWORD = "load-bench-Kestrel-91"  # noqa: S105 - a throwaway sign-in on a throwaway server
CLIENTS_EACH = 3
SESSIONS_EACH = 6
RATINGS = ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries")
KINDS = ("save session (POST)", "save reflection (POST)", "Today (GET)", "dashboard (GET)")
TOKEN = re.compile(r'name="csrf(?:middlewaretoken|-token)" (?:value|content)="([^"]+)"')
SESSION_PAGE = re.compile(r"^/sessions/(\d+)/$")
EMPTY_PAGE = "/more/"  # signed in, it reads the session, the user and the roles, and renders the layout
IDLE_RECONNECT_S = 1.0  # gunicorn closes a keep-alive connection idle for 2 s; never post on one that old


@dataclasses.dataclass
class Sample:
    kind: str
    status: int  # 0 = no answer (connection refused, reset or timed out)
    ms: float
    ok: bool


@dataclasses.dataclass
class Therapist:
    username: str
    client_ids: list[int]
    samples: list[Sample] = dataclasses.field(default_factory=list)
    sessions_acknowledged: list[int] = dataclasses.field(default_factory=list)
    reflections_acknowledged: list[int] = dataclasses.field(default_factory=list)  # by session id
    sign_in_ms: float = 0.0


class Browser:
    """One person's browser: a keep-alive connection, its own cookies, no redirects followed."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0
        self.token = ""

    def request(self, method: str, path: str, fields: dict[str, object] | None = None) -> tuple[int, str, str]:
        """(status, Location header, body); status 0 when the server gave no answer."""
        if self.connection is None or time.monotonic() - self.last_used > IDLE_RECONNECT_S:
            self.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **fields}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, "", ""
        self.last_used = time.monotonic()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if found := TOKEN.search(text):
            self.token = found.group(1)
        if response.will_close:
            self.close()
        return response.status, response.getheader("Location", ""), text

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def sign_in(browser: Browser, therapist: Therapist) -> None:
    began = time.perf_counter()
    status, _, _ = browser.request("GET", "/accounts/login/")
    assert status == 200, f"the sign-in page answered {status}"
    status, location, text = browser.request(
        "POST", "/accounts/login/", {"username": therapist.username, "password": PASSWORD}
    )
    therapist.sign_in_ms = (time.perf_counter() - began) * 1000
    if status != 302 or location != "/":
        refused = re.search(r"Too many failed sign-ins[^<]*", text)
        raise RuntimeError(f"{therapist.username} could not sign in: {status} {location} {refused and refused[0]}")
    status, _, _ = browser.request("GET", "/")  # the first page after signing in, and a fresh CSRF token
    assert status == 200, f"Today answered {status} right after signing in"


def session_form(therapist: Therapist, rng: random.Random) -> dict[str, object]:
    """The new-session form as the therapist fills it in: one of their clients, sometime in the past six days."""
    when = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=rng.randint(60, 60 * 24 * 6))
    return {
        "client": rng.choice(therapist.client_ids),
        "starts_at": f"{when:%Y-%m-%dT%H:%M}",
        "duration_minutes": 50,
        "format": "individual",
        "mode": "in_person",
        "emotional_load": rng.randint(0, 10),
        "arrival_calm": rng.randint(0, 10),
        "arrival_tiredness": rng.randint(0, 10),
    }


def reflection_form(session_id: int, rng: random.Random) -> dict[str, object]:
    """The reflection form on a saved session: random ratings and moods, the same two sentences."""
    ratings = {key: rng.randint(0, 4) for key in RATINGS}
    return {
        "session": session_id,
        **ratings,
        "gave_me": "Staying with the silence longer than was comfortable, and it helped.",
        "carry_home": "Leave a pause before answering at home too.",
        "mood_before": rng.randint(1, 10),
        "mood_after": rng.randint(1, 10),
    }


def is_expected(kind: str, method: str, status: int, location: str) -> bool:
    """Whether the answer is the one a working server gives: a page, or a saved form's redirect."""
    if method == "GET":
        return status == 200
    # a saved form redirects: a session to its own page, a reflection on a session to Today
    return status == 302 and bool(SESSION_PAGE.match(location) if kind == KINDS[0] else location == "/")


def one_round(browser: Browser, therapist: Therapist, rng: random.Random, record: Callable[[Sample], None]) -> None:
    """Log a session, reflect on it, read Today and the dashboard: four requests, each recorded."""

    def timed(kind: str, method: str, path: str, fields: dict[str, object] | None = None) -> tuple[int, str]:
        began = time.perf_counter()
        status, location, _ = browser.request(method, path, fields)
        ms = (time.perf_counter() - began) * 1000
        record(Sample(kind, status, ms, is_expected(kind, method, status, location)))
        return status, location

    status, location = timed(KINDS[0], "POST", "/sessions/new/", session_form(therapist, rng))
    if found := SESSION_PAGE.match(location) if status == 302 else None:
        session_id = int(found.group(1))
        therapist.sessions_acknowledged.append(session_id)
        status, location = timed(
            KINDS[1], "POST", f"/reflections/new/?session={session_id}", reflection_form(session_id, rng)
        )
        if status == 302 and location == "/":
            therapist.reflections_acknowledged.append(session_id)
    timed(KINDS[2], "GET", "/")
    timed(KINDS[3], "GET", "/dashboard/")


def in_threads_for(count: int, body: Callable[[int, float], None], seconds: float) -> float:
    """`body(index, deadline)` in `count` threads started together, each looping until the deadline (monotonic
    time) passes; returns the measured wall time."""
    start = threading.Barrier(count + 1)
    deadline: list[float] = []

    def work(index: int) -> None:
        start.wait()
        body(index, deadline[0])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline.append(time.monotonic() + seconds)
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


def run_loop(port: int, therapists: list[Therapist], browsers: list[Browser], seconds: float) -> float:
    """Every therapist loops in its own thread until the time is up; returns the measured wall time."""
    lock = threading.Lock()

    def work(index: int, deadline: float) -> None:
        therapist, browser = therapists[index], browsers[index]
        rng = random.Random(index)
        collected: list[Sample] = []
        while time.monotonic() < deadline:
            one_round(browser, therapist, rng, collected.append)
        with lock:
            therapist.samples.extend(collected)

    return in_threads_for(len(therapists), work, seconds)


def saturate_page(browsers: list[Browser], path: str, seconds: float) -> tuple[int, int, float]:
    """Each browser GETs one page in a closed loop, in its own thread: (answers, 200s among them, wall time)."""
    counts = [[0, 0] for _ in browsers]

    def work(index: int, deadline: float) -> None:
        while time.monotonic() < deadline:
            status, _, _ = browsers[index].request("GET", path)
            counts[index][0] += 1
            counts[index][1] += status == 200

    wall = in_threads_for(len(browsers), work, seconds)
    for browser in browsers:
        browser.close()
    return sum(c[0] for c in counts), sum(c[1] for c in counts), wall


def create_therapists(count: int) -> list[Therapist]:
    """Therapists with a few clients, past sessions and reflections each, through the services."""
    from reciprocity.clients.services import register_client
    from reciprocity.practice.services import create_user
    from reciprocity.therapy.services import record_session, write_reflection

    rng = random.Random(7)
    now = datetime.datetime.now(datetime.UTC)
    made = []
    for number in range(count):
        user = create_user(username=f"load{number:02d}", password=PASSWORD)
        clients = [
            register_client(therapist=user, code=f"L-{number:02d}{c}", started_on=now.date() - datetime.timedelta(90))
            for c in range(CLIENTS_EACH)
        ]
        for s in range(SESSIONS_EACH):
            session = record_session(
                therapist=user,
                client=clients[s % CLIENTS_EACH],
                starts_at=now - datetime.timedelta(days=7 * (s + 1)),
                duration_minutes=50,
                emotional_load=rng.randint(0, 10),
            )
            if s % 2 == 0:
                write_reflection(author=user, session=session, ratings=dict.fromkeys(RATINGS, 2))
        made.append(Therapist(username=user.username, client_ids=[c.pk for c in clients]))
    return made


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, round(len(ordered) * share) - 1)]


def table(samples: list[Sample], seconds: float) -> list[tuple[str, int, float, float, float]]:
    """(kind, requests, requests/s, p50 ms, p95 ms) per kind of request, then overall."""
    rows = []
    for kind in (*KINDS, "all requests"):
        times = sorted(s.ms for s in samples if kind == "all requests" or s.kind == kind)
        if times:
            rows.append((kind, len(times), len(times) / seconds, statistics.median(times), percentile(times, 0.95)))
    return rows


def failures(samples: list[Sample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sample in samples:
        if not sample.ok:
            name = "no answer" if sample.status == 0 else f"{sample.kind} answered {sample.status}"
            counts[name] = counts.get(name, 0) + 1
    return counts


def count_in_database(therapists: list[Therapist]) -> tuple[int, int, int, int]:
    """(acknowledged sessions found, acknowledged reflections found, sessions stored, reflections stored)
    for the bench's therapists, read from the database directly."""
    from reciprocity.therapy.models import Reflection, Session

    sessions = [pk for t in therapists for pk in t.sessions_acknowledged]
    reflected = [pk for t in therapists for pk in t.reflections_acknowledged]
    usernames = [t.username for t in therapists]
    return (
        Session.objects.filter(pk__in=sessions).count(),
        Reflection.objects.filter(session_id__in=reflected).count(),
        Session.objects.filter(client__therapist__username__in=usernames).count(),
        Reflection.objects.filter(author__username__in=usernames).count(),
    )


def collected_static(env: dict[str, str]) -> Path:
    """Static files collected and compressed in a cache kept between runs: `serve` skips the work when the
    sources have not changed, so a run does not spend minutes compressing the same 30 MB again."""
    cache = Path(tempfile.gettempdir()) / "reciprocity-bench-static"
    command = [*CLI, "serve", "--collect-static-only"]
    subprocess.run(command, env=env | {"RECIPROCITY_DATA_DIR": str(cache)}, check=True, capture_output=True)
    return cache / "static"


@dataclasses.dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:PORT
    env: dict[str, str]  # the server's environment
    pid: int  # the server's main process
    worker_pid: int | None  # `reciprocity worker`'s, with TASK_RUNNER=database


@contextlib.contextmanager
def serving(data_dir: Path, log: Path, task_runner: str = "immediate") -> Iterator[Served]:
    """Like tests.servers.served_app, but the server's own log goes to a file the run reads afterwards. With
    `task_runner="database"` the site runs as deployed (docs/deploy.md): `reciprocity worker` beside the server
    does the queued indexing."""
    with own_database() as database_url:
        env = app_env(data_dir, database_url) | {"TASK_RUNNER": task_runner}
        shutil.copytree(collected_static(env), data_dir / "static", copy_function=link_or_copy)
        result = run_cli(["migrate", "--no-input", "-v", "0"], env)
        assert result.returncode == 0, f"reciprocity migrate failed: {result.stderr}"
        port = free_port()
        with log.open("wb") as output:
            processes = [subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env, stdout=output, stderr=output)]
            if task_runner == "database":
                processes.append(subprocess.Popen([*CLI, "worker"], env=env, stdout=output, stderr=output))
            base = f"http://127.0.0.1:{port}"
            try:
                wait_until_up(base, processes[0])
                yield Served(base, env, processes[0].pid, processes[1].pid if len(processes) > 1 else None)
            finally:
                for process in processes:
                    process.terminate()
                for process in processes:
                    process.wait(timeout=30)


def server_cpu_seconds(pid: int) -> float:
    """CPU time used so far by a server: its main process, every child process, and the children it has
    already reaped (a PostgreSQL backend whose connection closed) (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for process in [str(pid), *children]:
        with contextlib.suppress(OSError):  # a worker that has just exited
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if process == str(pid):
                total += int(fields[13]) + int(fields[14])  # cutime, cstime: its reaped children
    return total / ticks


def database_server_pid() -> int | None:
    """The PostgreSQL server's process on this machine (scripts/with-postgres's, on a unix socket), read from
    its socket's lock file; None on SQLite or for a server elsewhere."""
    import dj_database_url

    if not (url := os.environ.get("DATABASE_URL")):
        return None
    config = dj_database_url.parse(url)
    lock = Path(config["HOST"]) / f".s.PGSQL.{config['PORT'] or 5432}.lock"
    return int(lock.read_text().split()[0]) if config["HOST"].startswith("/") and lock.exists() else None


def server_errors_logged(log: Path) -> dict[str, int]:
    """The last line of each traceback in the server's log (the exception), counted."""
    counts: dict[str, int] = {}
    lines = log.read_text(errors="replace").splitlines()
    for number, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((n for n in range(number + 1, len(lines)) if not lines[n].startswith((" ", "\t"))), None)
            if end is not None:
                counts[lines[end][:160]] = counts.get(lines[end][:160], 0) + 1
    return counts


def progress_printer(label: str) -> Callable[[str], None]:
    """A printer of the run's steps, each with the seconds since the run began."""
    started = time.monotonic()

    def progress(text: str) -> None:
        print(f"[{time.monotonic() - started:5.0f} s] {label}: {text}", flush=True)

    return progress


def use_served_database(env: dict[str, str]) -> None:
    """Point this process's Django at the served site's database: to create the therapists and to count."""
    os.environ["RECIPROCITY_DATA_DIR"] = env["RECIPROCITY_DATA_DIR"]
    if "DATABASE_URL" in env:
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")
    import django

    django.setup()


class Worker:
    """`reciprocity worker`'s queue and CPU (with TASK_RUNNER=immediate there is neither: every figure is 0)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.since = self.cpu()

    def cpu(self) -> float:
        return server_cpu_seconds(self.pid) if self.pid else 0.0

    def restart(self) -> None:
        """Count the worker's CPU from now."""
        self.since = self.cpu()

    def drain(self, what: str, progress: Callable[[str], None], timeout: float = 600) -> tuple[int, float, float]:
        """Wait until every queued task is done: (tasks queued when called, seconds it took, the worker's CPU
        seconds since `restart`)."""
        if self.pid is None:
            return 0, 0.0, 0.0
        from django.db import connection

        began, queued = time.monotonic(), self.queued()
        progress(f"waiting for the worker: {queued} tasks in {what}")
        while self.queued():
            if time.monotonic() - began > timeout:
                raise RuntimeError(f"the worker left {self.queued()} tasks of {what} undone after {timeout:.0f} s")
            connection.close()
            time.sleep(0.1)
        return queued, time.monotonic() - began, self.cpu() - self.since

    @staticmethod
    def queued() -> int:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()

    def failed_tasks(self) -> int:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() if self.pid else 0


def search_lags(therapists: list[Therapist], since: datetime.datetime | None = None) -> list[float]:
    """For each acknowledged reflection that has its search document, the seconds from its save to its
    indexing (its document's last write), sorted; those saved before `since` are left out."""
    from reciprocity.recall.models import Document
    from reciprocity.therapy.models import Reflection

    reflected = [pk for t in therapists for pk in t.reflections_acknowledged]
    saved = Reflection.objects.filter(session_id__in=reflected)
    saved_at = dict((saved.filter(created_at__gte=since) if since else saved).values_list("pk", "created_at"))
    indexed = Document.objects.filter(kind="reflection", object_id__in=list(saved_at)).values_list(
        "object_id", "updated_at"
    )
    return sorted((at - saved_at[pk]).total_seconds() for pk, at in indexed)


def lag_text(lags: list[float]) -> str:
    """The lags' p50, p95 and max, in words."""
    if not lags:
        return "no reflection was saved"
    return (
        f"p50 {statistics.median(lags):.1f} s, p95 {percentile(lags, 0.95):.1f} s, longest {lags[-1]:.1f} s "
        f"({len(lags):,} reflections)"
    )


def add_task_runner_option(parser: argparse.ArgumentParser) -> None:
    """`--task-runner`: the site as deployed (the default) or with indexing in the request."""
    parser.add_argument(
        "--task-runner", choices=("database", "immediate"), default="database",
        help="database (as deployed: `reciprocity worker` beside the server indexes for search; the default) or "
        "immediate (each reflection is indexed in its own request, after its commit)",
    )  # fmt: skip


CPU_TARGET_MS, SHARE_TARGET = 15, 0.25


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load run (default 60)")
    parser.add_argument("--baseline-seconds", type=float, default=None, help="one therapist alone (default: a third)")
    parser.add_argument("--therapists", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (4 threads each)")
    add_task_runner_option(parser)
    parser.add_argument("--no-write", action="store_true", help="print the results without writing the docs")
    args = parser.parse_args()
    baseline_seconds = args.baseline_seconds or max(5.0, args.seconds / 3)
    load_before = os.getloadavg()[0]
    os.environ["WEB_WORKERS"] = str(args.workers)
    progress = progress_printer(args.label)

    progress("migrating and starting the server")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        with serving(Path(tmp) / "site", log, args.task_runner) as served:
            base, env, server_pid = served.base, served.env, served.pid
            use_served_database(env)
            from django.db import connection

            progress(f"server up; creating {args.therapists} therapists")
            began = time.perf_counter()
            therapists = create_therapists(args.therapists)
            setup_s = time.perf_counter() - began
            initial = count_in_database(therapists)[2:]
            connection.close()
            port = int(base.rsplit(":", 1)[1])
            browsers = [Browser("127.0.0.1", port) for _ in therapists]
            progress("signing in through the login form")
            with ThreadPoolExecutor(max_workers=8) as pool:  # sign-ins are concurrent too, 8 at a time
                list(pool.map(sign_in, browsers, therapists))
            sign_ins = sorted(t.sign_in_ms for t in therapists)
            progress("warming up: one untimed round per therapist")
            # Warm the workers (imports, templates, the search model) with one untimed round per therapist.
            with ThreadPoolExecutor(max_workers=8) as pool:
                warm = [
                    pool.submit(one_round, b, t, random.Random(), lambda _: None)
                    for b, t in zip(browsers, therapists, strict=True)
                ]
                for future in warm:
                    future.result()

            worker = Worker(served.worker_pid)
            worker.drain("the queue of the warm-up round", progress)
            progress(f"baseline: 1 therapist for {baseline_seconds:.0f} s")
            cpu_before = server_cpu_seconds(server_pid)
            baseline_wall = run_loop(port, therapists[:1], browsers[:1], baseline_seconds)
            baseline_cpu = server_cpu_seconds(server_pid) - cpu_before
            baseline = list(therapists[0].samples)
            therapists[0].samples.clear()
            progress(f"load: {len(therapists)} therapists for {args.seconds:.0f} s")
            worker.restart()
            load_began = datetime.datetime.now(datetime.UTC)
            database = database_server_pid()
            database_before = server_cpu_seconds(database) if database else 0.0
            cpu_before = server_cpu_seconds(server_pid)
            load_wall = run_loop(port, therapists, browsers, args.seconds)
            load_cpu = server_cpu_seconds(server_pid) - cpu_before
            load = [s for t in therapists for s in t.samples]
            queued_at_end, drained_s, worker_load_cpu = worker.drain("the queue left by the load", progress)
            database_load_cpu = server_cpu_seconds(database) - database_before if database else 0.0
            for browser in browsers:
                browser.close()
            progress(f"the sign-in page alone: {len(therapists)} signed-out browsers for {baseline_seconds:.0f} s")
            cpu_before = server_cpu_seconds(server_pid)
            sign_in_answers, sign_in_ok, sign_in_wall = saturate_page(
                [Browser("127.0.0.1", port) for _ in therapists], "/accounts/login/", baseline_seconds
            )
            sign_in_cpu = server_cpu_seconds(server_pid) - cpu_before
            progress(f"a signed-in page that reads nothing ({EMPTY_PAGE}): the therapists for {baseline_seconds:.0f} s")
            cpu_before = server_cpu_seconds(server_pid)
            empty_answers, empty_ok, empty_wall = saturate_page(browsers, EMPTY_PAGE, baseline_seconds)
            empty_cpu = server_cpu_seconds(server_pid) - cpu_before
            progress("counting the rows in the database")
            found_sessions, found_reflections, stored_sessions, stored_reflections = count_in_database(therapists)
            indexed, failed_tasks = len(search_lags(therapists)), worker.failed_tasks()
            lags = search_lags(therapists, load_began) if served.worker_pid else []
            connection.close()
        logged = server_errors_logged(log)

    acked_sessions = sum(len(t.sessions_acknowledged) for t in therapists)
    acked_reflections = sum(len(t.reflections_acknowledged) for t in therapists)
    lost = (acked_sessions - found_sessions) + (acked_reflections - found_reflections)
    unacknowledged = (stored_sessions - initial[0] - acked_sessions) + (
        stored_reflections - initial[1] - acked_reflections
    )
    failed = failures(baseline + load)
    server_errors = sum(1 for s in baseline + load if s.status >= 500)
    unanswered = sum(1 for s in baseline + load if s.status == 0)
    unindexed = acked_reflections - indexed
    verdict = "passed" if not failed and not lost and not unindexed and not failed_tasks else "FAILED"
    cpu_each = load_cpu * 1000 / max(1, len(load))
    deployed = args.task_runner == "database"
    load_reflections = sum(1 for s in load if s.kind == KINDS[1] and s.ok)
    everything_ms = (load_cpu + worker_load_cpu + database_load_cpu) * 1000 / max(1, len(load))

    lines = [
        f"## Load: {args.therapists} therapists at once — {args.label}",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores (shared; "
        f"load average {load_before:.1f} when it started), Python {platform.python_version()}; reproduce with "
        f"`make bench` (or `python bench/load.py --label {args.label}`"
        + (", under `scripts/with-postgres`" if args.label != "SQLite" else "")
        + f"). The real server (`reciprocity serve`: gunicorn, {args.workers} workers × 4 threads) on 127.0.0.1, "
        f"a new data directory and migrated database; the load generator (one thread and one keep-alive "
        "connection per therapist, Python's http.client) runs on the same machine. "
        + (
            "As deployed (docs/deploy.md, compose.yaml): `TASK_RUNNER=database`, and `reciprocity worker` beside "
            "the server indexes each saved reflection for search, on the same 2 cores."
            if deployed
            else "Background tasks run in the request (`TASK_RUNNER=immediate`, `--task-runner immediate`), so "
            "saving a reflection also indexes it for search, after its commit."
        ),
        "",
        f"{args.therapists} therapists (created through the services in {setup_s:.0f} s, {CLIENTS_EACH} clients "
        f"and {SESSIONS_EACH} sessions each) sign in through the login form, 8 at a time (sign-in p50 "
        f"{statistics.median(sign_ins):.0f} ms, p95 {percentile(sign_ins, 0.95):.0f} ms), and each loops: "
        "log a new session (form POST with the CSRF token), save its reflection (form POST), read Today, read "
        "the dashboard. Baseline in the same run, on the same warm server: one therapist running the same loop "
        "alone (single-user latency).",
        "",
        "| request | baseline: 1 therapist, req/s | p50 ms | p95 ms | "
        f"{args.therapists} therapists, req/s | p50 ms | p95 ms | p50 vs baseline |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    alone = {row[0]: row for row in table(baseline, baseline_wall)}
    for kind, _, rate, p50, p95 in table(load, load_wall):
        _, _, base_rate, base_p50, base_p95 = alone.get(kind, (kind, 0, 0.0, float("nan"), float("nan")))
        lines.append(f"| {kind} | {base_rate:.1f} | {base_p50:.0f} | {base_p95:.0f} | {rate:.1f} | {p50:.0f} | "
                     f"{p95:.0f} | {p50 / base_p50:.1f}× |")  # fmt: skip
    lines += [
        "",
        f"Over {load_wall:.0f} s with {args.therapists} therapists ({baseline_wall:.0f} s alone): "
        f"{len(load):,} requests, {server_errors} answered 5xx, {unanswered} unanswered"
        + (f"; every unexpected answer: {failed}" if failed else "")
        + f". Writes acknowledged: {acked_sessions:,} sessions and {acked_reflections:,} reflections; found in "
        f"the database afterwards: {found_sessions:,} and {found_reflections:,} (lost: {lost}; stored without "
        f"an acknowledgement: {unacknowledged}); searchable afterwards: {indexed:,} of the {acked_reflections:,} "
        f"reflections" + (f", with {failed_tasks} failed tasks" if deployed else "") + f". **{verdict}** (the run "
        "fails on any 5xx, other unexpected answer, unanswered request, lost write, reflection left unsearchable "
        "or failed task).",
        "",
        f"Server CPU (its processes, from /proc): alone {baseline_cpu / baseline_wall:.2f} of a core busy, "
        f"{baseline_cpu * 1000 / max(1, len(baseline)):.0f} ms of CPU per request; with {args.therapists} "
        f"therapists {load_cpu / load_wall:.2f} of the {os.cpu_count()} cores, "
        f"{load_cpu * 1000 / max(1, len(load)):.0f} ms per request"
        + (" (the database server's own CPU is not included)." if "DATABASE_URL" in os.environ else "."),
        *(
            [
                "",
                f"The PostgreSQL server (its processes, from /proc), from the load's start until the worker's queue "
                f"was empty: {database_load_cpu:.1f} s of CPU, {database_load_cpu * 1000 / max(1, len(load)):.0f} "
                "ms per request of the loop.",
            ]
            if database
            else []
        ),
        *(
            [
                "",
                f"The worker: {queued_at_end} tasks were still queued when the load stopped, done {drained_s:.1f} s "
                f"later; from the load's start until then it spent {worker_load_cpu:.1f} s of CPU, "
                f"{worker_load_cpu * 1000 / max(1, load_reflections):.0f} ms per reflection saved under load. From "
                f"save to searchable, for the reflections saved under load: {lag_text(lags)}. Server "
                f"and worker together: {(load_cpu + worker_load_cpu) * 1000 / max(1, len(load)):.0f} ms of CPU per "
                "request of the loop" + (f"; with the database server's, {everything_ms:.0f} ms." if database else "."),
            ]
            if deployed
            else []
        ),
        "",
        f"Saturation, same server and run: {args.therapists} signed-out browsers loading the sign-in page in a "
        f"closed loop answered {sign_in_answers / sign_in_wall:.0f} requests/s ({sign_in_ok:,} of "
        f"{sign_in_answers:,} with 200, {sign_in_cpu * 1000 / max(1, sign_in_answers):.1f} ms of server CPU "
        f"each); the {args.therapists} therapists' loop {len(load) / load_wall:.0f} requests/s. The therapists, "
        f"signed in, loading `{EMPTY_PAGE}` in the same way (a page that reads nothing but who they are, the "
        f"floor of any signed-in request): {empty_answers / empty_wall:.0f} requests/s ({empty_ok:,} of "
        f"{empty_answers:,} with 200, {empty_cpu * 1000 / max(1, empty_answers):.1f} ms of server CPU each), "
        f"{empty_answers / empty_wall / (sign_in_answers / sign_in_wall):.0%} of the sign-in page's.",
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| server CPU per request of the therapists' loop ≤ {CPU_TARGET_MS} ms | "
        f"{cpu_each:.0f} ms | {_met(cpu_each <= CPU_TARGET_MS)} |",
        f"| the loop's throughput ≥ {SHARE_TARGET:.0%} of the sign-in page's | "
        f"{len(load) / load_wall / (sign_in_answers / sign_in_wall):.0%} | "
        f"{_met(len(load) / load_wall >= SHARE_TARGET * sign_in_answers / sign_in_wall)} |",
    ]
    if logged:
        lines += ["", "Errors in the server's log (the exception ending each traceback, and how often):", ""]
        lines += [f"- `{line}` × {count}" for line, count in sorted(logged.items(), key=lambda kv: -kv[1])]
    text = "\n".join(lines)
    print(text)
    if failed:
        print(f"Unexpected answers: {failed}", file=sys.stderr)
    if not args.no_write:
        from bench.report import write_section

        write_section(f"load-{args.label.lower()}", text)
    return 0 if verdict == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
