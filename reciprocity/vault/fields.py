"""EncryptedTextField: free text that is encrypted on its way into the database and decrypted on its way out.

Inside `left_sealed()` values are read as they are stored (`Sealed`, `SealedBytes`), without a key: a whole
account can then be deleted even when some of its text no longer opens (a lost key), and faster, as its
rows are loaded only to be deleted. A sealed value saved back is written as it was read.
"""

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from reciprocity.vault.cipher import blob_key_id, decrypt_blob, decrypt_text, encrypt_blob, encrypt_text, key_id_of

_left_sealed = contextvars.ContextVar("left_sealed", default=False)


class Sealed(str):
    """Encrypted text as stored, read inside `left_sealed()`: saved back, it is written unchanged."""


class SealedBytes(bytes):
    """Encrypted bytes as stored, read inside `left_sealed()`: saved back, they are written unchanged."""


@contextlib.contextmanager
def left_sealed() -> Iterator[None]:
    """Read encrypted values as stored, without opening them (for deleting what holds them)."""
    token = _left_sealed.set(True)
    try:
        yield
    finally:
        _left_sealed.reset(token)


# What the database can still answer about an encrypted column: whether it is empty ("" is stored as is).
# Any other question about its words raises instead of silently matching nothing.
ALLOWED_LOOKUPS = {"exact", "isnull"}


class EncryptedField:
    """What every encrypted column shares: its name bound into the cipher, and no questions about its content."""

    associated_data = ""

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        self.associated_data = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.associated_data} is encrypted; the database cannot answer `{lookup_name}` about its words."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.associated_data} is encrypted; the database cannot transform it ({lookup_name}).")

    def key_id_of(self, stored: Any) -> str | None:
        """Which key wrote a stored value (None: stored plain, before encryption)."""
        raise NotImplementedError


class EncryptedTextField(EncryptedField, models.TextField):
    """A TextField stored as AES-256-GCM ciphertext. Forms still see `max_length`; the column is unbounded.

    Only emptiness can be queried: a search over the words goes through recall (reciprocity/recall),
    which holds keyed hashes of stems, never the text.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        if _left_sealed.get():
            return Sealed(value)
        return decrypt_text(value, aad=self.associated_data)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if isinstance(value, Sealed):
            return str(value)
        value = super().get_db_prep_save(value, connection)
        if value is None or value == "" or hasattr(value, "as_sql"):
            return value  # an expression (bulk_update's CASE) encrypts each of its values itself
        return encrypt_text(str(value), aad=self.associated_data)

    def key_id_of(self, stored: Any) -> str | None:
        return key_id_of(stored) if stored else None


class EncryptedBinaryField(EncryptedField, models.BinaryField):
    """Bytes (the search vectors) stored as AES-256-GCM ciphertext."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        if _left_sealed.get():
            return SealedBytes(value)
        return decrypt_blob(bytes(value), aad=self.associated_data)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None or hasattr(value, "as_sql") or isinstance(value, SealedBytes):
            return super().get_db_prep_save(value, connection)
        return super().get_db_prep_save(encrypt_blob(bytes(value), aad=self.associated_data), connection)

    def key_id_of(self, stored: Any) -> str | None:
        return blob_key_id(bytes(stored)) if stored else None


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedField]]]:
    """Every model with encrypted columns, and those columns: found, not listed, so none is forgotten."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if fields and not model._meta.proxy:
            found.append((model, fields))
    return found


class EncryptedCharField(EncryptedTextField):
    """A one-line encrypted field (a title): the form shows a text input, not a text area."""

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, **kwargs})
