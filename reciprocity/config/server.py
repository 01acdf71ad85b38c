"""`reciprocity serve`: the production server (gunicorn, static files through WhiteNoise)."""

import argparse
import hashlib
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from gunicorn.app.base import BaseApplication

from reciprocity.config.environment import env_int
from reciprocity.lib.migrations import unapplied


class _Gunicorn(BaseApplication):
    def __init__(self, application: object, options: dict[str, object]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> object:
        return self.application


def _static_sources() -> str:
    """A fingerprint of every static file the finders would collect (path, size, modification time) and of
    how they are stored (which copies are kept, which are compressed)."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    storage = settings.STORAGES["staticfiles"], settings.WHITENOISE_KEEP_ONLY_HASHED_FILES
    digest.update(repr([*storage, settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS]).encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda pair: pair[0]):
            found = os.stat(storage.path(path))
            digest.update(f"{path}\0{found.st_size}\0{found.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """Collect (and compress) the static files anew, unless the same sources were collected already."""
    root = Path(settings.STATIC_ROOT)
    stamp, manifest = root / ".sources", root / "staticfiles.json"
    sources = _static_sources()
    if manifest.exists() and stamp.exists() and stamp.read_text() == sources:
        return
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)  # nothing of an earlier collection
    stamp.write_text(sources)


def serve(argv: list[str]) -> int:
    """Collect static files, refuse to start on an unmigrated database, then serve until stopped."""
    parser = argparse.ArgumentParser(prog="reciprocity serve", description="Serve Reciprocity over HTTP.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=int, default=env_int("WEB_WORKERS", 2, minimum=1, maximum=64))
    parser.add_argument("--access-log", action="store_true", help="log every request to standard output")
    parser.add_argument("--collect-static-only", action="store_true", help="collect static files, then stop")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")

    if args.collect_static_only:  # a build step: no database needed
        collect_static()
        return 0
    if pending := len(unapplied()):
        print(
            f"reciprocity: the database has {pending} unapplied migrations; run `reciprocity migrate` first.",
            file=sys.stderr,
        )
        return 2
    connections.close_all()  # gunicorn forks its workers next: none may inherit this process's connection
    collect_static()

    from reciprocity.config.wsgi import application

    options: dict[str, object] = {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-" if args.access_log else None,
        "logger_class": "reciprocity.config.access_log.PrivateAccessLog",  # no query strings, tokens or referrers
        "errorlog": "-",
        "loglevel": "warning",
    }
    print(f"Reciprocity is serving on http://{args.host}:{args.port}/  (Ctrl+C stops it)", flush=True)
    _Gunicorn(application, options).run()
    return 0
