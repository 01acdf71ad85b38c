"""Work that `reciprocity worker` does every so often beside its queue, for apps above the worker's own.

An app lists its jobs in a module `periodic.py` holding `JOBS`, found the way lib/personal_data.py finds
each app's part, so the worker (in recall) imports no app above it. Each job must be safe to run in many
processes at once (two workers, or a worker and cron): the job, not this loop, makes sure work is done once.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module

from django.db import close_old_connections, connections
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

TICK_SECONDS = 5  # how often the loop looks whether a job is due
STOP_WAIT_SECONDS = 60  # on shutdown, how long to let a running job finish (a digest being sent)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[], object]


def jobs() -> list[Job]:
    """Every installed app's jobs, in the order the apps are installed."""
    from django.apps import apps

    return [job for config in apps.get_app_configs() if module_has_submodule(config.module, "periodic")
            for job in import_module(f"{config.name}.periodic").JOBS]  # fmt: skip


def run(job: Job) -> None:
    """Run one job; a failure is logged and the worker carries on."""
    try:
        job.run()
    except Exception:
        logger.exception("The periodic job %r failed; it runs again at its next time.", job.name)


def run_all() -> None:
    for job in jobs():
        run(job)


def _loop(stop: threading.Event) -> None:
    found, last_run = jobs(), dict[str, float]()
    try:
        while not stop.is_set():
            for job in found:
                if time.monotonic() - last_run.get(job.name, float("-inf")) >= job.every_seconds:
                    last_run[job.name] = time.monotonic()
                    close_old_connections()  # as the queue's loop does: a server restart leaves no dead connection
                    run(job)
            stop.wait(TICK_SECONDS)
    finally:
        connections.close_all()  # this thread's own connections


@contextlib.contextmanager
def running(*, once: bool = False) -> Iterator[None]:
    """Run every job on its schedule in a background thread while the block runs; `once`: each once after it."""
    if once:
        yield
        run_all()
        return
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(stop,), name="periodic-jobs", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(STOP_WAIT_SECONDS)
