"""Typed readers for the environment: a bad value stops start-up with a message a person can act on."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no switch (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; it is {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    """Read a whole number within [minimum, maximum]."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; it is {raw!r}.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}; it is {value}.")
    return value


def env_value(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (a container secret, e.g. /run/secrets/...), stripped.

    Setting both is refused: which one wins would be a guess.
    """
    value, file_name = os.environ.get(name, "").strip(), os.environ.get(f"{name}_FILE", "").strip()
    if value and file_name:
        raise ImproperlyConfigured(f"Both {name} and {name}_FILE are set; keep one.")
    if not file_name:
        return value or default
    try:
        value = Path(file_name).read_text().strip()
    except OSError as error:
        reason = error.strerror or error
        raise ImproperlyConfigured(f"{name}_FILE points to {file_name}, which cannot be read: {reason}.") from None
    if not value:
        raise ImproperlyConfigured(f"{name}_FILE points to {file_name}, which is empty.")
    return value


def env_secret(name: str, generated_file: Path) -> str:
    """Read a secret from NAME, from the file named by NAME_FILE, or from a file generated on first use.

    The generated file is created with mode 0600 so only the service's own user can read it.
    """
    return env_value(name) or _read_or_generate(generated_file)


def _read_or_generate(path: Path) -> str:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
        if not value:
            raise ImproperlyConfigured(f"The secret file {path} is empty; delete it to generate a new one.") from None
        return value
    value = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def data_dir(name: str, default: str) -> Path:
    """The directory for the database, secrets and collected static files; created private (0700)."""
    path = Path(os.environ.get(name, "").strip() or default).expanduser().resolve()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(f"{name} is {path}, which cannot be created: {error}.") from None
    return path
