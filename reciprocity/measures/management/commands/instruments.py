from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.measures import registry
from reciprocity.measures.definitions import InstrumentFileError


class Command(BaseCommand):
    help = "List the questionnaires, or add one a practice holds a licence for (kept in the data directory)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="list every instrument and where it comes from")
        add = actions.add_parser("add", help="validate an instrument file and add it")
        add.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            try:
                instrument = registry.add_file(options["file"])
            except InstrumentFileError as problem:
                raise CommandError(str(problem), returncode=2) from None
            self.stdout.write(f"Added {instrument.short_name} ({instrument.id}) to {registry.added_dir()}.")
            return
        shipped = registry.shipped()
        for instrument in sorted(registry.all_instruments().values(), key=lambda i: i.id):
            origin = "shipped" if instrument.id in shipped else "added"
            self.stdout.write(f"{instrument.id:<10} {instrument.short_name:<10} {instrument.audience:<9} {origin}")
