"""`reciprocity serve` is the production server (gunicorn + WhiteNoise), exercised over real HTTP."""

import concurrent.futures
import contextlib
import http.cookiejar
import logging
import os
import re
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from reciprocity.config.access_log import private_path, private_value
from tests.servers import app_env, free_port, run_cli, served_app


class Browser:
    """A cookie-keeping HTTP client that signs in and posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, dict]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), dict(e.headers)

    def post(self, path: str, data: dict) -> int:
        _, html, _ = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def server(tmp_path_factory, static_files):
    data_dir = tmp_path_factory.mktemp("served")
    tess = [(["createuser", "tess", "--password-stdin"], "a long passphrase\n")]
    with served_app(data_dir, tess, static=static_files) as (base, _env):
        yield base, data_dir


def test_the_server_is_gunicorn_and_serves_hashed_static_files(server):
    base, _ = server
    status, html, headers = Browser(base).get("/accounts/login/")
    assert status == 200 and headers["Server"].startswith("gunicorn")
    stylesheet = re.search(r'href="(/static/css/reciprocity\.[0-9a-f]{12}\.css)"', html).group(1)
    status, css, headers = Browser(base).get(stylesheet)
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"] and ":root" in css
    assert not re.search(r'(src|href)="(https?:)?//', html), "nothing may load from another origin"


def test_only_hashed_names_are_kept_and_source_maps_are_not_compressed(static_files):
    """Pages link to hashed names only, so collecting keeps (and compresses) nothing else; source maps, read
    only by developer tools, are left as they are (compressing them took most of the collection's time)."""
    kept = {path.relative_to(static_files).as_posix() for path in static_files.rglob("*") if path.is_file()}
    assert not {"css/reciprocity.css", "js/offline.js"} & kept
    stylesheet = next(name for name in kept if re.fullmatch(r"css/reciprocity\.[0-9a-f]{12}\.css", name))
    assert {stylesheet + ".br", stylesheet + ".gz"} <= kept
    maps = {name for name in kept if ".map" in name}
    assert maps and all(name.endswith(".map") for name in maps), sorted(maps)


def test_a_missing_page_is_the_plain_404_page(server):
    base, _ = server
    browser = Browser(base)
    assert browser.post("/accounts/login/", {"username": "tess", "password": "a long passphrase"}) == 302
    status, html, _ = browser.get("/sessions/999999/")
    assert status == 404 and "Not found" in html and "Traceback" not in html


def test_concurrent_writes_wait_for_each_other_instead_of_failing(server):
    base, data_dir = server
    browser = Browser(base)
    assert browser.post("/accounts/login/", {"username": "tess", "password": "a long passphrase"}) == 302

    def add(n: int) -> int:
        return browser.post("/clients/new/", {"code": f"W-{n:04d}", "started_on": "2026-01-01"})

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(add, range(1, 25)))
    assert statuses == [302] * 24
    _, html, _ = browser.get("/clients/?status=all")
    assert len(set(re.findall(r"W-00\d\d", html))) == 24
    if not os.environ.get("DATABASE_URL"):  # on the SQLite run, check the journal mode of the file itself
        with sqlite3.connect(data_dir / "reciprocity.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _serving_processes(data_dir) -> dict[int, int]:
    """{pid: parent pid} of every process serving this data directory (the gunicorn master and its workers)."""
    found = {}
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if proc.name.isdigit() and f"RECIPROCITY_DATA_DIR={data_dir}\0".encode() in (proc / "environ").read_bytes():
                found[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    return found


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite file's connections")
def test_the_server_keeps_its_sqlite_connections_between_requests(server):
    """Connecting to the database file anew for every request cost about 4 ms of CPU a request
    (bench/load.py): each server thread keeps its connection, as on PostgreSQL."""
    base, data_dir = server
    browser = Browser(base)
    assert browser.post("/accounts/login/", {"username": "tess", "password": "a long passphrase"}) == 302
    for _ in range(4):
        assert browser.get("/")[0] == 200
    time.sleep(0.5)  # a connection closed at the end of a request is closed by now
    processes = _serving_processes(data_dir)
    database = str(data_dir / "reciprocity.sqlite3")
    holding = {
        pid for pid in processes if any(os.path.realpath(fd) == database for fd in Path(f"/proc/{pid}/fd").iterdir())
    }
    workers = {pid for pid, parent in processes.items() if parent in processes}
    assert workers & holding, f"no server worker holds {database} open between requests"
    # The master closed the connection it checked the migrations with before forking, so no worker inherited
    # it (SQLite's connections must not cross a fork).
    assert len(processes) == len(workers) + 1 and not holding - workers


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = run_cli(["serve", "--port", str(free_port())], app_env(tmp_path))
    assert result.returncode == 2
    assert "run `reciprocity migrate` first" in result.stderr


@pytest.mark.engine_independent  # files only
def test_static_files_are_collected_anew_when_their_sources_or_their_storage_change(settings, tmp_path):
    from reciprocity.config import settings as project_settings
    from reciprocity.config.server import collect_static

    sources, root = tmp_path / "sources", tmp_path / "collected"
    (sources / "css").mkdir(parents=True)
    (sources / "css" / "site.css").write_text("body { color: black; }\n" * 50)
    settings.STATICFILES_DIRS, settings.STATIC_ROOT = [sources], root
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = project_settings.STORAGES  # the tests' plain storage put back to the product's

    def collected() -> set[str]:
        return {path.relative_to(root).as_posix() for path in root.rglob("*.css*")}

    collect_static()
    first = collected()
    assert any(name.endswith(".css.br") for name in first) and "css/site.css" not in first
    (root / "css" / "left-over.css").write_text("")
    collect_static()  # the same sources, stored the same way: nothing to do
    assert "css/left-over.css" in collected()

    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["css"]
    collect_static()
    assert collected() == {name for name in first if not name.endswith((".br", ".gz"))}

    (sources / "css" / "site.css").write_text("body { color: navy; }\n")
    collect_static()
    assert collected() != {name for name in first if not name.endswith((".br", ".gz"))}


def test_the_sqlite_write_ahead_log_is_cut_back_after_a_large_write(tmp_path, django_db_blocker):
    """A clinic's file runs for years: one large write (an import) must not leave a log of its size behind."""
    from django.conf import settings
    from django.db import connections
    from django.db.utils import load_backend

    if connections["default"].vendor != "sqlite":
        pytest.skip("the SQLite file's write-ahead log")
    params = {**connections.settings["default"], "NAME": str(tmp_path / "reciprocity.sqlite3")}
    database = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias="write-ahead-log")
    log = tmp_path / "reciprocity.sqlite3-wal"
    chunk = 1024 * 1024
    try:
        with django_db_blocker.unblock(), database.cursor() as cursor:  # a file of its own, not the test database
            cursor.execute("CREATE TABLE filler (b BLOB)")
            database.set_autocommit(False)  # one transaction, as an import writes
            for _ in range(settings.SQLITE_WAL_LIMIT // chunk + 16):
                cursor.execute("INSERT INTO filler VALUES (randomblob(%s))", [chunk])
            database.commit()
            database.set_autocommit(True)
            assert log.stat().st_size > settings.SQLITE_WAL_LIMIT  # the log grew past the limit
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")  # as SQLite's own checkpoints do
            cursor.execute("INSERT INTO filler VALUES (x'00')")
            assert log.stat().st_size <= settings.SQLITE_WAL_LIMIT
    finally:
        with django_db_blocker.unblock():
            database.close()


def test_the_access_log_names_pages_without_queries_tokens_or_referrers(tmp_path, static_files):
    """What a therapist searched for, and the tokens that open a client's questionnaire or reset a password, never
    reach the log; which page was asked for, and its answer, do."""
    log = tmp_path / "served.log"
    with served_app(tmp_path / "data", static=static_files, serve_args=["--access-log"], output=log) as (base, _):
        browser = Browser(base)
        browser.opener.addheaders = [("Referer", f"{base}/search/?q=heron-at-the-weir")]
        browser.get("/search/?q=my-sisters-diagnosis")
        browser.get("/q/Qk7-one-time-client-token/")
        browser.get("/accounts/password/reset/MTIz/c0ffee-reset-token/")
        browser.get("/accounts/login/?next=/reflections/%3Ftext%3Dgrief")
    written = log.read_text()
    assert "GET /search/ HTTP/1.1" in written and "GET /q/…/ HTTP/1.1" in written
    assert "GET /accounts/password/reset/…/…/ HTTP/1.1" in written and "GET /accounts/login/ HTTP/1.1" in written
    assert "Not Found: /q/…/" in written  # Django's own line about the request, made private as well
    for secret in ("sisters", "heron", "Qk7-one-time", "MTIz", "c0ffee", "grief", "next="):
        assert secret not in written, secret


def test_private_paths_hide_each_secret_part_the_address_patterns_name():
    assert private_path("/q/abc123/") == "/q/…/"
    assert private_path("/supervision/join/xyz789/") == "/supervision/join/…/"
    assert private_path("/reminders/unsubscribe/tok-en/") == "/reminders/unsubscribe/…/"
    assert private_path("/clients/N-0007/") == "/clients/N-0007/"  # a pseudonymous code is what a page is
    assert private_path("/no/such/page/") == "/no/such/page/"
    assert private_value("GET /q/abc123/?x=1 HTTP/1.1") == "GET /q/…/ HTTP/1.1"  # the development server's lines
    assert private_value("/search/?q=grief") == "/search/"
    assert private_path("/q/abc123") == "/q/…"  # before the redirect that adds the slash: a valid token still
    assert private_path("/q/abc123/more/") == "/q/…/more/"
    assert private_path("/supervision/join/xyz789") == "/supervision/join/…"


def _handlers_reached(logger: logging.Logger) -> list[logging.Handler]:
    """Every handler a record of this logger reaches, up the loggers it propagates to (but pytest's own)."""
    found: list[logging.Handler] = []
    while logger:
        found += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    return found


def test_djangos_own_request_lines_are_written_private_by_every_handler():
    """The development server's request lines and Django's "Not Found" lines, as each handler they reach
    writes them."""
    lines = {
        "django.server": ('"%s" %s %s', ("GET /q/abc123/?q=grief HTTP/1.1", "200", "5"), '"GET /q/…/ HTTP/1.1" 200 5'),
        "django.request": ("%s: %s", ("Not Found", "/reminders/unsubscribe/tok-en/"),
                           "Not Found: /reminders/unsubscribe/…/"),
        "django.security.csrf": ("Forbidden (%s): %s", ("CSRF", "/q/abc123/"), "Forbidden (CSRF): /q/…/"),
    }  # fmt: skip
    for name, (message, args, private) in lines.items():
        handlers = _handlers_reached(logging.getLogger(name))
        assert handlers, name
        for handler in handlers:
            record = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, None)
            assert handler.filter(record) and record.getMessage() == private, (name, handler)
