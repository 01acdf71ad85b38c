"""The calendar import's part of a person's data: fingerprints only, which mean nothing outside this server."""

from reciprocity.calendars.models import TitleMapping
from reciprocity.lib.personal_data import Part
from reciprocity.practice.models import User


def counts(user: User) -> list[tuple[str, int]]:
    return [("calendar titles mapped", TitleMapping.objects.owned_by(user).count())]


PART = Part(
    not_exported={
        "calendars.TitleMapping": "a keyed fingerprint of a calendar title and the client it maps to: the "
        "fingerprint cannot be read back into the title, and the sessions it made are exported",
        "calendars.ImportedEvent": "a keyed fingerprint of each calendar event imported, which only this server "
        "can recognise; the sessions it made are exported",
    },
    counts=counts,
)
