"""EncryptedTextField: free text that is encrypted on its way into the database and decrypted on its way out."""

from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from reciprocity.vault.cipher import blob_key_id, decrypt_blob, decrypt_text, encrypt_blob, encrypt_text, key_id_of

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
        return decrypt_text(value, aad=self.associated_data)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
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
        return decrypt_blob(bytes(value), aad=self.associated_data)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None or hasattr(value, "as_sql"):
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
