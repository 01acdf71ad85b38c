from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.practice import tokens
from reciprocity.practice.models import AccessToken, TokenScope, User


class Command(BaseCommand):
    help = "Personal access tokens for the API: create (shown once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token and print it once")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="command line")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        create.add_argument("--expires", type=int, default=90, help="days until it stops working (1-3650)")
        listing = actions.add_parser("list", help="list a user's tokens")
        listing.add_argument("--user", required=True)
        revoke = actions.add_parser("revoke", help="stop a token working, by the prefix shown in the list")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        if options["action"] == "create":
            try:
                _, raw = tokens.create_token(
                    user=user, name=options["name"], scope=options["scope"], expires_days=options["expires"]
                )
            except ValueError as problem:
                raise CommandError(str(problem), returncode=2) from None
            self.stdout.write(raw)
        elif options["action"] == "list":
            for token in AccessToken.objects.owned_by(user):
                state = "active" if token.is_active else "revoked or expired"
                self.stdout.write(f"{token.prefix}…  {token.scope:<5}  {state:<18}  {token.name}")
        else:
            found = AccessToken.objects.owned_by(user).filter(prefix=options["prefix"].rstrip("…")).first()
            if found is None:
                raise CommandError(f"{options['user']} has no token starting {options['prefix']!r}.", returncode=2)
            tokens.revoke(found)
            self.stdout.write(f"Revoked {found}.")
