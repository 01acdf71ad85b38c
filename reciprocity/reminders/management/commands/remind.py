from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reciprocity.reminders.services import send_due_digests


class Command(BaseCommand):
    help = (
        "Send the e-mail digests that are due now; safe to run from cron every few minutes, and beside "
        "`reciprocity worker`, which does the same every minute (each digest goes once a day at most)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_due_digests()
        if report.has_no_site_url:
            raise CommandError(report.lines()[0], returncode=2)
        for line in report.lines():
            self.stdout.write(line)
