"""Encrypted online backups of the whole database, and bringing one back.

A backup is taken while the app keeps serving: on SQLite with the backup API in one step (a consistent
snapshot; in WAL mode writers carry on meanwhile), on PostgreSQL with `pg_dump -Fc` (one snapshot
transaction). The copy is checked, then sealed with the vault's file cipher (AES-256-GCM in chunks, the key
id in the header, the database kind bound in) into a file of mode 0600. The plain copy lives only in a
private temporary directory beside the output, and is deleted at once.

Restoring decrypts the whole file first and checks it, so a wrong key, an altered or a truncated file is
refused before the database is touched; then SQLite is overwritten through the backup API, PostgreSQL by
emptying the app's schema and loading the dump in one `psql --single-transaction` (all or nothing; what a
later version added goes too). A database that already holds data is replaced only when asked (`force`).

What the rows name but the database does not hold travels with it: the files of the data directory's
folders the apps name (`carry`), such as the questionnaires a practice added, whose answers would otherwise
vanish from view on a new server. The sealed payload is then a tar of `database` and those files; a backup
of an earlier release is the database alone, and restores as before. A restore puts back the files missing
from the folders and never replaces one that is there.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from reciprocity.vault.canary import retired_among
from reciprocity.vault.cipher import FILE_MAGIC, DecryptionError, decrypt_stream, encrypt_stream
from reciprocity.vault.keyring import keyring, retired_keys_path

VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PG_BIN_DIRS = "/usr/lib/postgresql/*/bin"
NOT_DATA = {"contenttypes.ContentType", "auth.Permission"}  # filled in by `migrate` itself


class BackupError(Exception):
    """Something a person can act on: the message says what went wrong and what to do."""


def _aad(vendor: str) -> bytes:
    return b"reciprocity-backup\0" + vendor.encode()


def default_output() -> Path:
    return Path(settings.DATA_DIR) / "backups" / f"reciprocity-{timezone.now():%Y%m%d-%H%M%S}.backup"


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in VENDORS:
        raise BackupError(f"Backups cover SQLite and PostgreSQL; this database is {connection.vendor}.")
    return connection.vendor


def backup(output: Path | None = None, *, using: str = "default") -> Path:
    """Write an encrypted, consistent copy of the database to `output` (default: the data directory's
    backups/ folder) while the app keeps running; returns the file written."""
    connection = connections[using]
    vendor = _vendor(connection)
    target = Path(output) if output else default_output()
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file name.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryDirectory(prefix=".reciprocity-backup-", dir=target.parent) as work:
            plain = Path(work) / "database"
            if vendor == "sqlite":
                _snapshot_sqlite(connection, plain)
            else:
                _dump_postgresql(connection.settings_dict, plain)
            payload = _pack(plain, Path(work) / "payload")
            sealed = Path(work) / "sealed"
            with payload.open("rb") as src, _private_file(sealed) as dst:
                encrypt_stream(src, dst, aad=_aad(vendor))
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(sealed, target)
    except OSError as error:
        raise BackupError(f"Cannot write the backup to {target}: {error.strerror}.") from None
    return target


_carried: dict[str, str] = {}  # folder of the data directory → the pattern of the files a backup carries


def carry(folder: str, pattern: str) -> None:
    """Have every backup carry the files of this data-directory folder that match `pattern` (an app's `ready`)."""
    _carried[folder] = pattern


_checks: list[Callable[[], str]] = []  # what a restored database needs beyond its keys, asked by the apps


def check_after_restore(check: Callable[[], str]) -> None:
    """Have `restore` and `keys check` ask this (an app's `ready`): it answers what to do, or "" when all is well."""
    _checks.append(check)


def needs_after_restore() -> list[str]:
    """What the apps say the database needs (beyond the keys) to be whole on this installation."""
    return [said for check in _checks if (said := check())]


def _carried_files() -> list[tuple[str, Path]]:
    """(name in the backup, file) of every carried file there is now."""
    data_dir = Path(settings.DATA_DIR)
    return [(f"{folder}/{path.name}", path)
            for folder, pattern in sorted(_carried.items())
            for path in sorted((data_dir / folder).glob(pattern)) if path.is_file()]  # fmt: skip


def _pack(database: Path, payload: Path) -> Path:
    """A tar of the database and the carried files (the database deleted once in it: one plain copy at a time)."""
    with _private_file(payload) as handle, tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(database, arcname=DATABASE)
        for name, path in _carried_files():
            tar.add(path, arcname=name)
    database.unlink()
    return payload


DATABASE = "database"


@dataclass
class Restored:
    """What a restore brought back beside the database: carried files put back, and those left as they were
    because a different file of that name is there."""

    files: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)


def _unpack(plain: Path) -> tuple[Path, dict[str, bytes]]:
    """The database file and the carried files (by name) of a decrypted backup; an earlier release's backup is
    the database alone. Only a regular file named `database` or `<carried folder>/<name>` is taken."""
    if not tarfile.is_tarfile(plain):
        return plain, {}
    database = plain.with_name(DATABASE + ".unpacked")
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(plain) as tar:
            for member in tar:
                folder, _, name = member.name.partition("/")
                if not member.isfile():
                    continue
                if member.name == DATABASE:
                    with tar.extractfile(member) as src, _private_file(database) as dst:  # type: ignore[union-attr]
                        shutil.copyfileobj(src, dst)
                elif folder in _carried and name and "/" not in name and not name.startswith("."):
                    files[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]
    except tarfile.TarError as error:
        raise BackupError(f"The decrypted backup cannot be unpacked: {error}.") from None
    if not database.exists():
        raise BackupError("The decrypted backup holds no database.")
    plain.unlink()
    return database, files


def _put_back(files: dict[str, bytes]) -> Restored:
    """Write the carried files that are missing (mode 0600); never replace one that is there."""
    restored = Restored()
    data_dir = Path(settings.DATA_DIR)
    for name, content in sorted(files.items()):
        target = data_dir / name
        if target.exists():
            if target.read_bytes() != content:
                restored.differing.append(name)
            continue
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _private_file(target) as handle:
            handle.write(content)
        restored.files.append(name)
    return restored


def _private_file(path: Path) -> BinaryIO:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _sqlite_source(connection: BaseDatabaseWrapper) -> tuple[sqlite3.Connection, bool]:
    """A connection to read the live database through, and whether it is ours to close."""
    if connection.is_in_memory_db():
        connection.ensure_connection()
        return connection.connection, False
    path = Path(connection.settings_dict["NAME"])
    if not path.is_file():
        raise BackupError(f"There is no database at {path}: nothing to back up.")
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout), True


def _snapshot_sqlite(connection: BaseDatabaseWrapper, plain: Path) -> None:
    source, ours = _sqlite_source(connection)
    copy = sqlite3.connect(plain)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, so one consistent state
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}.") from None
    finally:
        copy.close()
        if ours:
            source.close()
    if verdict != "ok":
        raise BackupError(f"The copy failed SQLite's integrity check ({verdict}); the live database needs a look.")


def _version_of(tool: str) -> tuple[int, ...]:
    version = Path(tool).parts[-3]  # /usr/lib/postgresql/<version>/bin/<tool>
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest in /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{PG_BIN_DIRS}/{name}"), key=_version_of, reverse=True)
    if not candidates:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools (postgresql-client).")
    return candidates[0]


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection for the PostgreSQL tools, in their environment: the password never on a command line."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for variable, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", options.get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _run(command: list[str], settings_dict: dict[str, Any], what: str) -> str:
    """Run a PostgreSQL tool; its standard output."""
    # The command is ours (a PostgreSQL tool and fixed options); the connection comes in through the environment.
    result = subprocess.run(command, env=_pg_env(settings_dict), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = lines[0] if lines else f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")
    return result.stdout


def _dump_postgresql(settings_dict: dict[str, Any], plain: Path) -> None:
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={plain}"], settings_dict, "pg_dump")


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def _decrypt(source: Path, plain: Path, vendor: str) -> None:
    try:
        with source.open("rb") as src, _private_file(plain) as dst:
            decrypt_stream(src, dst, aad=_aad(vendor))
    except DecryptionError as error:
        other = next((v for v in VENDORS if v != vendor), None)
        if other and "altered" in str(error):
            try:
                with source.open("rb") as src:
                    decrypt_stream(src, _Discard(), aad=_aad(other))
            except DecryptionError:
                pass
            else:
                raise BackupError(
                    f"This is a backup of a {VENDORS[other]} database; this app is set up for {VENDORS[vendor]}."
                ) from None
        raise BackupError(f"The backup cannot be restored: {error}{_retired_hint(source)}") from None
    except OSError as error:
        raise BackupError(f"Cannot read the backup {source}: {error.strerror}.") from None


def _retired_hint(source: Path) -> str:
    """When the backup's key was retired by a rotation, where to find it."""
    with source.open("rb") as src:
        header = src.read(len(FILE_MAGIC) + 16)
    key_id = header[len(FILE_MAGIC) :].decode(errors="replace").strip()
    if not header.startswith(FILE_MAGIC) or key_id in keyring().keys or not retired_among({key_id}):
        return ""
    return (
        f" A key rotation retired that key to {retired_keys_path()}: put its line back into the key file, after the "
        "current key, and restore again (the restored text needs it too)."
    )


def holds_data(using: str = "default") -> bool:
    """Whether any of the app's tables has a row (beyond what `migrate` itself writes)."""
    connection = connections[using]
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:
        return False
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in NOT_DATA or model._meta.db_table not in tables:
            continue
        if model._base_manager.using(using).exists():
            return True
    return False


def restore(source: Path, *, force: bool = False, using: str = "default") -> Restored:
    """Replace the database with the backup in `source`, and put back the carried files that are missing;
    refused, with the database untouched, when the file cannot be decrypted or checked, or when the database
    holds data and `force` is not given."""
    connection = connections[using]
    vendor = _vendor(connection)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    work_dir = Path(settings.DATA_DIR)  # beside the data, not in a shared /tmp that may be small
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".reciprocity-restore-", dir=work_dir) as work:
        plain = Path(work) / "database"
        _decrypt(source, plain, vendor)
        plain, files = _unpack(plain)
        if vendor == "sqlite":
            _check_sqlite(plain)
        else:
            _run([_pg_tool("pg_restore"), "--list", str(plain)], connection.settings_dict, "Reading the backup")
        if not force and holds_data(using):
            raise BackupError("The database already holds data; restoring would replace all of it. Add --force.")
        if vendor == "sqlite":
            _restore_sqlite(connection, plain)
        else:
            _restore_postgresql(connection, plain)
    return _put_back(files)


def _check_sqlite(plain: Path) -> None:
    check = sqlite3.connect(plain)
    try:
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        check.execute("SELECT 1 FROM django_migrations LIMIT 1")
    except sqlite3.DatabaseError:
        raise BackupError("The decrypted backup is not a Reciprocity SQLite database.") from None
    finally:
        check.close()
    if verdict != "ok":
        raise BackupError(f"The decrypted backup failed SQLite's integrity check ({verdict}).")


def _restore_sqlite(connection: BaseDatabaseWrapper, plain: Path) -> None:
    copy = sqlite3.connect(plain)
    if connection.is_in_memory_db():
        connection.ensure_connection()
        target, ours = connection.connection, False
    else:
        connection.close()  # our own connection reopens on the restored database
        timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)
        target, ours = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=timeout), True
    try:
        copy.backup(target)  # page by page into the live file, under SQLite's own lock: others wait, then see it
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not write the database: {error}.") from None
    finally:
        copy.close()
        if ours:
            target.close()


def _restore_postgresql(connection: BaseDatabaseWrapper, plain: Path) -> None:
    """Empty the app's schema and load the backup into it, in one transaction (psql --single-transaction): what a
    later version added (tables, functions, triggers) goes too, so its migrations can run again afterwards."""
    schema = connection.ops.quote_name(_current_schema(connection))
    connection.close()
    script = plain.with_suffix(".sql")  # beside the plain copy, in the same private temporary directory
    _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(plain)],
         connection.settings_dict, "pg_restore")  # fmt: skip
    command = [_pg_tool("psql"), "--no-psqlrc", "--quiet", "--no-password", "--single-transaction",
               "--set=ON_ERROR_STOP=1", f"--command=DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema};",
               f"--file={script}"]  # fmt: skip
    _run(command, connection.settings_dict, "Loading the backup")


def _current_schema(connection: BaseDatabaseWrapper) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]
