from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.measures import registry
from reciprocity.measures.definitions import InstrumentFileError


class Command(BaseCommand):
    help = (
        "List the questionnaires, or add one (or a translation of one) a practice holds a licence for, kept in the "
        "data directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="list every instrument and translation: its language and where it comes from")
        add = actions.add_parser("add", help="validate an instrument file, or a translation of one, and add it")
        add.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            try:
                instrument = registry.add_file(options["file"])
            except InstrumentFileError as problem:
                raise CommandError(str(problem), returncode=2) from None
            if instrument.translation_of:
                what = f"{instrument.id}, the {instrument.language} translation of {instrument.translation_of}"
            else:
                what = instrument.id
            self.stdout.write(f"Added {instrument.short_name} ({what}) to {registry.added_dir()}.")
            return
        self.stdout.write(f"{'id':<10} {'name':<10} {'about':<9} {'from':<8} {'language':<8} translates")
        for original in sorted(registry.all_instruments().values(), key=lambda i: i.id):
            for language, instrument in registry.versions(original.id).items():
                origin = "shipped" if registry.is_shipped(instrument.id) else "added"
                translates = instrument.translation_of or ""
                line = f"{instrument.id:<10} {instrument.short_name:<10} {instrument.audience:<9} {origin:<8} "
                self.stdout.write(f"{line}{language:<8} {translates}".rstrip())
