import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import override

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.clients.selectors import get_client_for
from reciprocity.lib.languages import language_for
from reciprocity.practice.models import User
from reciprocity.reports import content
from reciprocity.reports.render import render_pdf
from reciprocity.sharing import pii
from reciprocity.sharing.models import Supervision

KINDS = ("monthly", "packet", "client")


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.", returncode=2) from None


class Command(BaseCommand):
    help = "Write a report as PDF: monthly (your own), packet (a supervision's shared items), client (one client)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--user", required=True, help="whose report (the therapist, or the supervisor of a packet)")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, type=Path)
        parser.add_argument("--client", help="the client's code (client reports)")
        parser.add_argument("--with", dest="other", help="the other person of the supervision (packets)")
        parser.add_argument(
            "--confirm", action="append", default=[], metavar="KIND:WORDS",
            help="a detail the PII guard found, confirmed as not identifying (packets; repeat for more): "
            "every other finding is withheld",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        try:
            period = content.Period(_day(options["start"]), _day(options["end"]))
            with override(language_for(user)):  # no browser asks: the report speaks the language its person chose
                template, context = self._content(options["kind"], user, period, options)
                pdf = render_pdf(template, context)
        except content.ReportError as problem:
            raise CommandError(str(problem), returncode=2) from None
        try:
            options["output"].write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}.", returncode=2) from None
        subject = context["supervision"].therapist if options["kind"] == "packet" else user
        what = f"a {options['kind']} report of {period.logged} written to a PDF on the server (reciprocity report)"
        record(Action.EXPORT, what, subject=subject, actor=None)
        empty = " (nothing to report in this period)" if context["empty"] else ""
        self.stdout.write(f"Wrote {options['output']} ({len(pdf) // 1024} KB){empty}.")
        for w in context.get("withheld", []):
            self.stdout.write(f"Withheld {w.finding.key!r} ({pii.KIND_LABELS[w.finding.kind]}) in {w.where}.")

    def _content(self, kind: str, user: User, period: content.Period, options: dict) -> tuple[str, dict]:
        if kind == "monthly":
            return "reports/monthly.html", content.monthly(user, period)
        if kind == "client":
            if not options["client"]:
                raise CommandError("A client report needs --client CODE.", returncode=2)
            try:
                return "reports/client.html", content.client_report(get_client_for(user, options["client"]), period)
            except Http404:
                raise CommandError(f"{user.username} has no client {options['client']!r}.", returncode=2) from None
        supervisions = Supervision.objects.active().involving(user).select_related("therapist", "supervisor")
        if options["other"]:
            supervisions = [
                s for s in supervisions if options["other"] in (s.therapist.username, s.supervisor.username)
            ]
        if len(supervisions) != 1:
            found = "no active supervision" if not supervisions else "several supervisions: name one with --with"
            raise CommandError(f"{user.username} has {found}.", returncode=2)
        return "reports/packet.html", content.packet(supervisions[0], period, set(options["confirm"]))
