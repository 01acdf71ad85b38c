from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.practice.models import User
from reciprocity.recall.embedding import ModelFileError
from reciprocity.recall.index import record_words_key, reindex
from reciprocity.recall.models import Document


class Command(BaseCommand):
    help = "Rebuild the search documents (vectors and full-text terms) of one therapist or of everyone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="only this user's entries (default: everyone's)")
        parser.add_argument("--force", action="store_true", help="embed every entry again, even unchanged ones")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["user"]:
            owner = User.objects.filter(username=options["user"]).first()
            if owner is None:
                raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
            owners = [owner.pk]
        else:
            owners = list(User.objects.values_list("pk", flat=True))
            Document.objects.exclude(owner_id__in=owners).delete()
        try:
            counts = reindex(owners, force=options["force"], progress=self._progress)
        except ModelFileError as problem:
            raise CommandError(str(problem), returncode=2) from None
        if not options["user"]:  # every entry's words are hashed under this installation's key now
            record_words_key()
        if counts["entries"]:
            self.stderr.write("")  # ends the progress line
        self.stdout.write(
            f"{counts['entries']} entries of {len(owners)} user{'s' if len(owners) != 1 else ''}: "
            f"{counts['embedded']} embedded, the rest unchanged; {counts['documents']} search documents."
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stderr.write(f"\rindexing [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
