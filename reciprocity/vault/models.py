from typing import ClassVar

from django.db import models

from reciprocity.vault.fields import EncryptedTextField


class KeyCanary(models.Model):
    """A known text sealed with the encryption key at first start: a process that cannot open it holds the
    wrong keys, and stops before it writes anything (reciprocity/vault/canary.py)."""

    sealed = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(id=1), name="vault_one_key_canary")
        ]

    def __str__(self) -> str:
        return f"key canary of {self.created_at:%Y-%m-%d}"
