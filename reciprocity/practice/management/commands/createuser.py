import getpass
import sys
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction

from reciprocity.practice.models import Practice, Role, User
from reciprocity.practice.services import create_user


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Create a therapist, supervisor or director. A therapist without --practice gets a solo practice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.THERAPIST)
        parser.add_argument("--practice", help="name of an existing practice to join (created if missing)")
        parser.add_argument("--name", default="", help="the person's full name")
        parser.add_argument("--time-zone", help="IANA time zone, e.g. Europe/Berlin (default: the TIME_ZONE setting)")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.", returncode=2)
        password = self._password(options["password_stdin"], options.get("stdin", sys.stdin))
        try:
            with transaction.atomic():  # a practice created for a user that fails is rolled back too
                practice = None
                if options["practice"]:
                    practice, _ = Practice.objects.get_or_create(name=options["practice"])
                user = create_user(
                    username=username,
                    password=password,
                    role=options["role"],
                    practice=practice,
                    full_name=options["name"],
                    time_zone=options["time_zone"],
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        except IntegrityError:
            raise CommandError(f"A user called {username!r} already exists.", returncode=2) from None
        self.stdout.write(f"Created {user.username} ({options['role']}).")

    def _password(self, from_stdin: bool, stdin: TextIO) -> str:
        if from_stdin:
            password = stdin.readline().rstrip("\n")
        else:
            try:
                password = getpass.getpass("Password: ")
                again = getpass.getpass("Password (again): ")
            except EOFError:
                raise CommandError("No password was typed: in a script, use --password-stdin.", returncode=2) from None
            if password != again:
                raise CommandError("The two passwords differ.", returncode=2)
        if not password:
            raise CommandError("The password is empty.", returncode=2)
        return password
