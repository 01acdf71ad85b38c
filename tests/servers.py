"""Start the real app (`reciprocity serve`, gunicorn) in a subprocess with its own data directory.

On the PostgreSQL run (DATABASE_URL set) each served app gets a database of its own on that
server, so servers started by tests running in parallel never share data.
"""

import contextlib
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


def run_cli(args: Sequence[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=180, check=False)


@contextlib.contextmanager
def own_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database on the run's server, dropped afterwards; None on the SQLite run."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield None
        return
    name = f"served_{uuid.uuid4().hex[:12]}"
    config = dj_database_url.parse(base)
    admin = {"host": config["HOST"], "port": config["PORT"], "user": config["USER"], "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def served_app(data_dir: Path, setup: Sequence[tuple[Sequence[str], str]] = ()) -> Iterator[tuple[str, dict[str, str]]]:
    """Migrate, run each (command, stdin) of `setup`, serve; yield (base URL, environment); stop the server."""
    with own_database() as database_url:
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
