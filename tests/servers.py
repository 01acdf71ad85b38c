"""Start the real app (`reciprocity serve`, gunicorn) in a subprocess with its own data directory.

On the PostgreSQL run (DATABASE_URL set) each served app gets a database of its own on that
server, so servers started by tests running in parallel never share data. A site that many tests read
(the demo practice) can be built once as a template and copied for each server (`built_once`), and the
static files are collected once for all of them (`collected_once`, kept in .test-cache/ for later runs).
Both are slow, so a conftest starts them in the background as soon as the run knows it needs them
(`start_in_background`).
"""

import contextlib
import fcntl
import importlib.metadata
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import pytest

CLI = [sys.executable, "-m", "reciprocity"]
TEST_CACHE = Path(__file__).resolve().parents[1] / ".test-cache"  # what later test runs may reuse; delete at will


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env["RECIPROCITY_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_cli(
    args: Sequence[str], env: dict[str, str], stdin: str = "", timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )


def _server_admin(base: str) -> dict[str, object]:
    config = dj_database_url.parse(base)
    return {"host": config["HOST"], "port": config["PORT"], "user": config["USER"], "dbname": "postgres"}


def _create_database(name: str, template: str | None = None) -> str | None:
    """CREATE DATABASE on the run's server (a copy of `template` if given); its URL, or None on SQLite."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return None
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(**_server_admin(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return base.rsplit("/", 1)[0] + "/" + name


def _drop_database(name: str) -> None:
    with psycopg.connect(**_server_admin(os.environ["DATABASE_URL"]), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def own_database(template: str | None = None) -> Iterator[str | None]:
    """A fresh PostgreSQL database on the run's server (a copy of `template` if given), dropped afterwards;
    None on the SQLite run."""
    name = f"served_{uuid.uuid4().hex[:12]}"
    url = _create_database(name, template)
    try:
        yield url
    finally:
        if url is not None:
            _drop_database(name)


def shared_by_run(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder that every process of this test run sees (the pytest-xdist workers share it), named `name`."""
    base = tmp_path_factory.getbasetemp()
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "alone")[:12]  # set for the workers of one xdist run
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / f"{name}-{run}"


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock: one process at a time, among all the test processes on this machine."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        yield


def once(folder: Path, build: Callable[[], None]) -> None:
    """Run `build` once for `folder`, whichever test process asks first; the others wait until it is done.

    A build that failed is tried again by the next process that asks (and fails there with its message).
    """
    with locked(folder):
        if not (folder / "done").exists():
            build()
            (folder / "done").touch()


def start_in_background(build: Callable[[], object]) -> None:
    """Start a build made with `once` now, in a thread: whoever asks for it later waits for it to finish.

    An error is left to that later call, which tries the build again and fails the test that needed it.
    """

    def run() -> None:
        with contextlib.suppress(Exception):
            build()

    threading.Thread(target=run, name="build in the background", daemon=True).start()


@dataclass(frozen=True)
class Template:
    """A site built once: its data directory (database file on SQLite, keys) and its PostgreSQL database."""

    data_dir: Path
    database: str | None  # the template database's name on the PostgreSQL run


def built_once(folder: Path, setup: Sequence[tuple[Sequence[str], str]]) -> Template:
    """Migrate and run `setup` into `folder` once, whichever test process asks first; the others wait for it.

    `folder` is shared by the processes of one test run (`shared_by_run`); the template database is
    left on the run's throwaway server, which goes with it.
    """
    data_dir = folder / "data"
    database = f"template_{folder.name}".lower() if os.environ.get("DATABASE_URL") else None

    def build() -> None:
        shutil.rmtree(data_dir, ignore_errors=True)
        if database:
            _drop_database(database)  # left by a build that failed
        env = app_env(data_dir, _create_database(database) if database else None)
        for args, stdin in [(["migrate", "--no-input", "-v", "0"], ""), *setup]:
            result = run_cli(args, env, stdin, timeout=600)
            assert result.returncode == 0, f"reciprocity {' '.join(args)} failed: {result.stderr}"

    once(folder, build)
    return Template(data_dir, database)


def collected_once(folder: Path) -> Path:
    """The static files, collected and compressed (about 40 s of CPU) into .test-cache/, where a later run,
    such as `make test`'s PostgreSQL pass, finds them up to date: `serve` compares the sources itself.
    Each server's data directory links to them. `folder` makes it once per run, as `once` does."""
    versions = "-".join(importlib.metadata.version(name) for name in ("django", "whitenoise"))
    kept = TEST_CACHE / f"static-{versions}"

    def build() -> None:
        with locked(kept):  # another test run may be collecting into it now
            result = run_cli(["serve", "--collect-static-only"], app_env(kept))
        assert result.returncode == 0, result.stderr

    once(folder, build)
    return kept / "static"


@contextlib.contextmanager
def served_app(
    data_dir: Path,
    setup: Sequence[tuple[Sequence[str], str]] = (),
    *,
    static: Path,
    template: Template | None = None,
    serve_args: Sequence[str] = (),
    output: Path | None = None,
) -> Iterator[tuple[str, dict[str, str]]]:
    """Migrate, run each (command, stdin) of `setup`, serve; yield (base URL, environment); stop the server.

    `static` holds the collected static files (`collected_once`), linked into the data directory. With a
    `template`, the server starts from a copy of it, its data directory and its database, migrated already.
    `serve_args` are added to `reciprocity serve`; its output goes to `output` when given (read it once the
    server has stopped), else to a pipe read only when it fails to start.
    """
    if template is not None:
        shutil.copytree(template.data_dir, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("static"))
    with own_database(template.database if template else None) as database_url:
        env = app_env(data_dir, database_url)
        link_static(static, Path(data_dir))
        migrate = [] if template else [(["migrate", "--no-input", "-v", "0"], "")]
        for args, stdin in [*migrate, *setup]:
            result = run_cli(args, env, stdin)
            assert result.returncode == 0, f"reciprocity {' '.join(args)} failed: {result.stderr}"
        port = free_port()
        sink = output.open("wb") if output else subprocess.PIPE
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port), *serve_args], env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process)
            yield base, env
        finally:
            process.terminate()
            process.wait(timeout=20)
            if output:
                sink.close()


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_static(static: Path, data_dir: Path) -> None:
    """Give a data directory the collected static files (`collected_once`), as links where the disk allows."""
    if not (data_dir / "static").exists():
        shutil.copytree(static, data_dir / "static", copy_function=link_or_copy)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = process.stdout.read().decode() if process.stdout else "(its output went to a file)"
            raise RuntimeError("the server stopped: " + said)
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not answer within 60 s")
