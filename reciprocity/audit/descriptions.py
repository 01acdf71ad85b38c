"""An event's description in the reader's language, made when the page is shown.

The stored `what` stays as it was written (English, language-neutral for the record); the page translates
the descriptions it knows, whole or by their pattern, and shows any other as it is. What a description
quotes (a table's name, a client's code, a period, a shared item) is shown as stored, with its dates in the
reader's language.
"""

import datetime
import re

from django.utils import formats
from django.utils.translation import gettext_lazy as _

EXACT = {
    "signed in": _("signed in"),
    "signed out": _("signed out"),
    "a failed sign-in to your account": _("a failed sign-in to your account"),
    "a failed sign-in under a name that is no account": _("a failed sign-in under a name that is no account"),
    "downloaded all data as a zip": _("downloaded all data as a zip"),
    "all data written to a zip on the server (reciprocity export)": _(
        "all data written to a zip on the server (reciprocity export)"
    ),
    "the practice view, with your figures by name": _("the practice view, with your figures by name"),
    "the practice view (team figures only)": _("the practice view (team figures only)"),
    "read the list of shared items": _("read the list of shared items"),
    "the list of shared items": _("the list of shared items"),
    "read the well-being trend": _("read the well-being trend"),
    "read the flywheel summary": _("read the flywheel summary"),
}

PATTERNS = [
    (re.compile(r"downloaded the (?P<table>[\w-]+) table as (?P<format>[A-Z]+)"),
     _("downloaded the {table} table as {format}")),
    (re.compile(r"made the caseload outcomes report \((?P<format>[A-Z]+)\)"),
     _("made the caseload outcomes report ({format})")),
    (re.compile(r"made the monthly report of (?P<period>.+) \((?P<format>[A-Z]+)\)"),
     _("made the monthly report of {period} ({format})")),
    (re.compile(r"made the supervision packet of (?P<period>.+) \((?P<format>[A-Z]+)\)"),
     _("made the supervision packet of {period} ({format})")),
    (re.compile(r"made the progress report of (?P<code>\S+) for (?P<period>.+) \((?P<format>[A-Z]+)\)"),
     _("made the progress report of {code} for {period} ({format})")),
    (re.compile(r"read “(?P<item>.+)”"), _("read “{item}”")),
    (re.compile(r"commented on “(?P<item>.+)”"), _("commented on “{item}”")),
    (re.compile(r"wrote the notes of the meeting of (?P<day>.+)"), _("wrote the notes of the meeting of {day}")),
]  # fmt: skip

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
# "14 Mar 2026", "14 March 2026" or "March 2026", as the descriptions write dates (in English, whatever the locale).
_DATE = re.compile(r"\b(?:(?P<day>\d{1,2}) )?(?P<month>[A-Z][a-z]{2,8}) (?P<year>\d{4})\b")


def _month(name: str) -> int | None:
    for number, month in enumerate(MONTHS, start=1):
        if name == month or name == month[:3]:
            return number
    return None


def _local_date(found: re.Match[str]) -> str:
    month = _month(found["month"])
    if month is None:
        return found[0]
    try:
        if found["day"] is None:
            return formats.date_format(datetime.date(int(found["year"]), month, 1), "YEAR_MONTH_FORMAT")
        day = datetime.date(int(found["year"]), month, int(found["day"]))
    except ValueError:
        return found[0]
    return formats.date_format(day, "d M Y" if found["month"] == MONTHS[month - 1][:3] else "d F Y")


def _dates_localized(text: str) -> str:
    return _DATE.sub(_local_date, text)


def describe(what: str) -> str:
    """The stored description `what` in the active language, or as stored when it is not one we know."""
    if what in EXACT:
        return str(EXACT[what])
    for pattern, message in PATTERNS:
        found = pattern.fullmatch(what)
        if found:
            return str(message).format(**{key: _dates_localized(value) for key, value in found.groupdict().items()})
    return what
