"""The `reciprocity` command: `serve`, plus every Django management command (`migrate`, `demo`, ...)."""

import os
import sys

USAGE_EXTRA = """
Reciprocity commands:
  serve [--host H] [--port P]   serve the app with gunicorn (static files through WhiteNoise)
  demo [--password P] [--seed N] create the demo practice (safe to run twice)
  createuser USERNAME            create a therapist, supervisor or director
  export --user U                write everything of one person to a zip (CSV, JSON, FHIR)
  erase --user U --yes           delete one person's account and everything of theirs
  backup [-o FILE]               an encrypted, consistent backup taken while the app serves
  restore FILE                   bring a backup back
  rotate-key                     re-encrypt every stored text under a new key (resumable)
  figures --check|--rebuild      compare or recompute the flywheel's weekly figures from the rows
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")
    os.umask(0o077)  # the database, its WAL, keys and backups this process creates are the service user's alone

    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        print(f"reciprocity: configuration error: {error}", file=sys.stderr)
        return 2

    if argv[:1] == ["serve"]:
        from reciprocity.config.server import serve

        return serve(argv[1:])

    from django.core.management import execute_from_command_line, get_commands
    from django.db import DatabaseError

    if not argv or (argv[0] in {"help", "-h", "--help"} and len(argv) == 1):
        print(USAGE_EXTRA.strip() + "\n")
    elif not argv[0].startswith("-") and argv[0] not in {*get_commands(), "help", "version"}:
        print(f"reciprocity: there is no command {argv[0]!r}; `reciprocity help` lists them.", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["reciprocity", *argv])
    except DatabaseError as error:
        if "--traceback" in argv:
            raise
        first_line = str(error).splitlines()[0] if str(error) else ""
        print(
            f"reciprocity: the database refused this ({error.__class__.__name__}: {first_line}); "
            "if it is new, run `reciprocity migrate` first.",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
