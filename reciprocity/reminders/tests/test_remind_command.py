"""`reciprocity remind`, for cron: sends what is due, says what it did, exits 0; `reciprocity worker` runs it too."""

import datetime
import subprocess
import sys
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reciprocity.lib import periodic
from reciprocity.reminders.tests.conftest import opt_in
from tests.builders import make_session


def test_remind_sends_what_is_due_and_says_so(ana, ana_client, mailoutbox):
    opt_in(ana, send_at=datetime.time(0, 0))
    make_session(ana_client)
    out = StringIO()
    call_command("remind", stdout=out)
    assert out.getvalue().strip() == "My daily digest: 1 sent"
    assert len(mailoutbox) == 1
    out = StringIO()
    call_command("remind", stdout=out)
    assert out.getvalue().strip() == "No digest was due." and len(mailoutbox) == 1


def test_remind_without_a_site_url_stops_with_a_message(ana, settings):
    opt_in(ana, send_at=datetime.time(0, 0))
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL is not set") as raised:
        call_command("remind")
    assert raised.value.returncode == 2


def test_the_worker_finds_the_reminders_job(db):
    assert "reminders" in [job.name for job in periodic.jobs()]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection, as it does in production
def test_the_worker_runs_the_job_once_in_batch_mode(ana, ana_client, mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASK_RUNNER = "database"
    opt_in(ana, send_at=datetime.time(0, 0))
    make_session(ana_client)
    call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
    assert len(mailoutbox) == 1


@pytest.mark.engine_independent
def test_a_bad_site_url_stops_start_up_in_one_line(tmp_path):
    environment = {"PATH": "/usr/bin:/bin", "RECIPROCITY_DATA_DIR": str(tmp_path), "SITE_URL": "clinic.example.org"}
    result = subprocess.run([sys.executable, "-m", "reciprocity", "check"], env=environment, capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2 and "SITE_URL must be an address such as https://" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_workers_loop_runs_each_job_beside_the_queue_and_survives_a_failing_one(monkeypatch):
    ran = threading.Event()

    def failing() -> None:
        raise RuntimeError("a job that fails")

    jobs = [periodic.Job("fails", 60, failing), periodic.Job("works", 60, ran.set)]
    monkeypatch.setattr(periodic, "jobs", lambda: jobs)
    with periodic.running():
        assert ran.wait(10), "the loop ran the second job although the first failed"
    assert not any(t.name == "periodic-jobs" for t in threading.enumerate())  # it stops with the worker
