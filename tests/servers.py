"""Start the real app (`reciprocity serve`, gunicorn) in a subprocess with its own data directory.

On the PostgreSQL run (DATABASE_URL set) each served app gets a database of its own on that
server, so servers started by tests running in parallel never share data. A site that many tests read
(the demo practice) can be built once as a template and copied for each server (`built_once`).
"""

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg

CLI = [sys.executable, "-m", "reciprocity"]


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
            with psycopg.connect(**_server_admin(os.environ["DATABASE_URL"]), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Template:
    """A site built once: its data directory (database file on SQLite, keys) and its PostgreSQL database."""

    data_dir: Path
    database: str | None  # the template database's name on the PostgreSQL run


def built_once(folder: Path, setup: Sequence[tuple[Sequence[str], str]]) -> Template:
    """Migrate and run `setup` into `folder` once, whichever test process asks first; the others wait for it.

    `folder` is shared by the processes of one test run (pytest-xdist workers); the template database is
    left on the run's throwaway server, which goes with it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    data_dir, done = folder / "data", folder / "done"
    database = f"template_{folder.name}".lower() if os.environ.get("DATABASE_URL") else None
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not done.exists():
            shutil.rmtree(data_dir, ignore_errors=True)
            url = _create_database(database) if database else None
            env = app_env(data_dir, url)
            for args, stdin in [(["migrate", "--no-input", "-v", "0"], ""), *setup]:
                result = run_cli(args, env, stdin, timeout=600)
                assert result.returncode == 0, f"reciprocity {' '.join(args)} failed: {result.stderr}"
            done.touch()
    return Template(data_dir, database)


@contextlib.contextmanager
def served_app(
    data_dir: Path, setup: Sequence[tuple[Sequence[str], str]] = (), *, template: Template | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """Migrate, run each (command, stdin) of `setup`, serve; yield (base URL, environment); stop the server.

    With a `template`, the server starts from a copy of it: its data directory and its database.
    """
    if template is not None:
        shutil.copytree(template.data_dir, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("static"))
    with own_database(template.database if template else None) as database_url:
        env = app_env(data_dir, database_url)
        static = Path(data_dir) / "static"
        if not static.exists():
            shutil.copytree(shared_static(env), static, copy_function=link_or_copy)
        for args, stdin in [(["migrate", "--no-input", "-v", "0"], ""), *setup]:
            result = run_cli(args, env, stdin)
            assert result.returncode == 0, f"reciprocity {' '.join(args)} failed: {result.stderr}"
        port = free_port()
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process)
            yield base, env
        finally:
            process.terminate()
            process.wait(timeout=20)


_collected: dict[str, Path] = {}


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def shared_static(env: dict[str, str]) -> Path:
    """Static files collected once per test process: each server's data directory links to them, and
    `serve` finds them up to date instead of compressing 30 MB again."""
    if "dir" not in _collected:
        folder = Path(tempfile.mkdtemp(prefix="reciprocity-static-"))
        result = run_cli(["serve", "--collect-static-only"], env | {"RECIPROCITY_DATA_DIR": str(folder)})
        assert result.returncode == 0, result.stderr
        _collected["dir"] = folder / "static"
    return _collected["dir"]


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped: " + process.stdout.read().decode())
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not answer within 60 s")
