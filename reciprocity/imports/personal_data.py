"""The imports' part of a person's data: no rows, only the CSV files they uploaded and have not imported yet."""

from reciprocity.imports import staging
from reciprocity.lib.personal_data import Part
from reciprocity.practice.models import User


def erase_staged_uploads(user: User) -> None:
    """Delete the person's staged uploads (sealed, or in clear from an earlier release); no cascade reaches files."""
    staging.forget_all(user.pk)


PART = Part(erase_first=erase_staged_uploads)
