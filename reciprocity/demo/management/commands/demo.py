from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.demo.builder import DEMO_PRACTICE, build_demo

DEFAULT_PASSWORD = "reciprocity-demo"  # noqa: S105 - the demo's published password, printed on purpose


class Command(BaseCommand):
    help = "Create the demo practice: three therapists' years, a supervisor and a director. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", help=f"password of every demo login (default {DEFAULT_PASSWORD}; given again, it is reset)"
        )
        parser.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same data")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="address to print for signing in")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options["password"]
        password = chosen or DEFAULT_PASSWORD
        if len(password) < 8:
            raise CommandError("The demo password needs at least 8 characters.", returncode=2)
        result = build_demo(password=password, seed=options["seed"], reset_passwords=chosen is not None)
        if result.created:
            c = result.counts
            counts = ", ".join(f"{number} {name}" for name, number in c.items())
            self.stdout.write(f"Created {DEMO_PRACTICE}: {counts}.")
        else:
            note = "passwords set to the one given" if chosen else "passwords unchanged"
            self.stdout.write(f"{DEMO_PRACTICE} already exists; nothing added ({note}).")
        self.stdout.write(f"\nOpen {options['url']} and sign in (password: {password}):")
        for person in result.people:
            self.stdout.write(f"  {person.username:<6} {person.full_name:<16} {person.role:<10} {person.story}")
