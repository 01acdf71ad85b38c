"""The `reciprocity` command: `serve`, plus every Django management command (`migrate`, `demo`, ...)."""

import os
import sys

USAGE_EXTRA = """
Reciprocity commands:
  serve [--host H] [--port P]   serve the app with gunicorn (static files through WhiteNoise)
  remind                         send the e-mail digests due now (for cron)
  demo [--password P] [--seed N] create the demo practice (safe to run twice)
  createuser USERNAME            create a therapist, supervisor or director
  export --user U                write everything of one person to a zip (CSV, JSON, FHIR)
  erase --user U --yes           delete one person's account and everything of theirs
  backup [-o FILE]               an encrypted, consistent backup taken while the app serves
  restore FILE                   bring a backup back
  rotate-key                     re-encrypt every stored text under a new key (resumable)
  figures --check|--rebuild      compare or recompute the flywheel's weekly figures from the rows
  keys check|export|open         check the encryption keys, or seal a copy for the practice's safe
  upgrade                        check the keys, back up, migrate, verify (how to roll back is printed)
"""

# Commands that write nothing to the database, or check the keys in their own way: every other one (and
# `serve`) first opens the database's key check, so nothing is ever written under a wrong key.
WITHOUT_KEY_CHECK = frozenset(
    {"help", "version", "check", "keys", "upgrade", "restore", "backup", "score", "rci", "showmigrations",
     "sqlmigrate", "diffsettings", "collectstatic"}
)  # fmt: skip


# Commands that check the URL configuration first. It is code, the same on every run: `reciprocity check` and
# the test suite check it, and `serve` (which runs no system checks) imports it with its first request.
# Importing every view to check it again before a routine command (a migration, a backup, the worker) costs
# about 0.9 s of CPU, as much as setting Django up.
CHECKS_URLS = frozenset({"check", "runserver"})


def _leave_out_url_checks() -> None:
    from django.core.checks import Tags
    from django.core.checks.registry import registry

    registry.registered_checks = {c for c in registry.registered_checks if Tags.urls not in getattr(c, "tags", ())}


def _keys_refused() -> str | None:
    """The reason to stop when the configured keys cannot open the database's text (None: go on)."""
    from reciprocity.vault.canary import KeysMismatch, require_keys

    try:
        require_keys()
    except KeysMismatch as error:
        return str(error)
    return None


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

    from django.core.management import execute_from_command_line, get_commands
    from django.db import DatabaseError

    command = argv[0] if argv and not argv[0].startswith("-") else "help"
    if command in {"serve", *get_commands()} - WITHOUT_KEY_CHECK and "--collect-static-only" not in argv:
        try:
            refused = _keys_refused()
        except ImproperlyConfigured as error:
            refused = str(error)
        except DatabaseError as error:
            refused = f"the database cannot be read ({error.__class__.__name__}: {str(error).splitlines()[0]})"
        if refused:
            print(f"reciprocity: {command} stopped before writing anything. {refused}", file=sys.stderr)
            return 2

    if command == "serve":
        from reciprocity.config.server import serve

        return serve(argv[1:])

    if not argv or (argv[0] in {"help", "-h", "--help"} and len(argv) == 1):
        print(USAGE_EXTRA.strip() + "\n")
    elif not argv[0].startswith("-") and argv[0] not in {*get_commands(), "help", "version"}:
        print(f"reciprocity: there is no command {argv[0]!r}; `reciprocity help` lists them.", file=sys.stderr)
        return 2
    if command not in CHECKS_URLS:
        _leave_out_url_checks()
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
