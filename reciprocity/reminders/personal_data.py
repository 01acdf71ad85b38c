"""Reminders' part of a person's data: their choice of digests and the record of those sent."""

from reciprocity.lib.personal_data import Part

PART = Part(
    not_exported={
        "reminders.ReminderSettings": "the choice of e-mail digests, shown on the settings page",
        "reminders.Digest": "which digests were sent on which day, with counts only, kept so none goes twice",
    },
)
