"""The reminders' part of `reciprocity worker` (lib/periodic.py): send the digests that are due, every minute."""

from reciprocity.lib.periodic import Job
from reciprocity.reminders.services import send_due_digests

JOBS = [Job(name="reminders", every_seconds=60, run=send_due_digests)]
