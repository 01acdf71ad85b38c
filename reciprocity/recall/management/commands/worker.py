from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.lib import periodic
from reciprocity.recall import embedding, index, tasks


class Command(BaseCommand):
    help = "Run queued background work (indexing for search) when TASK_RUNNER=database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="do what is queued now, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASK_RUNNER != "database":
            raise CommandError(
                "TASK_RUNNER is 'immediate': work runs inside each request and there is no queue to serve. "
                "Set TASK_RUNNER=database for the server and the worker.",
                returncode=2,
            )
        embedding.use_threads(1)
        if owners := index.owners_of_older_vectors():
            for owner_id in owners:
                tasks.index_owner.enqueue(owner_id)
            people = "1 person" if len(owners) == 1 else f"{len(owners)} people"
            self.stdout.write(f"Search: an earlier model embedded entries of {people}; they are queued to be "
                              "embedded again.")  # fmt: skip
        # Beside the queue, the apps' periodic jobs (the reminders' digests): lib/periodic.py.
        with periodic.running(once=options["batch"]):
            call_command("db_worker", "--no-startup-delay", *(["--batch"] if options["batch"] else []))
