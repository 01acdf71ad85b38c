"""Speaking a reflection keeps no recording and no text; only a count of this hour's recordings, for the limit."""

from reciprocity.lib.personal_data import Part

PART = Part(
    exported={},
    not_exported={"voice.HourlyUse": "how many recordings were turned into text this hour, to hold the hourly limit"},
    tables={},
)
