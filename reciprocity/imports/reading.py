"""Reading a CSV from another system: its encoding, delimiter and date format are detected where that is
certain, and asked for where it is not — never guessed silently."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ENCODINGS = ("utf-8-sig", "utf-8", "latin-1")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}  # the names the command takes
DELIMITER_LABELS = {",": _("comma"), ";": _("semicolon"), "\t": _("tab"), "|": _("bar")}  # as a page says them
DATE_FORMATS = {
    "%Y-%m-%d %H:%M": "2026-03-14 09:30",
    "%Y-%m-%dT%H:%M": "2026-03-14T09:30",
    "%Y-%m-%d %H:%M:%S": "2026-03-14 09:30:00",
    "%Y-%m-%dT%H:%M:%S": "2026-03-14T09:30:00",
    "%d/%m/%Y %H:%M": "14/03/2026 09:30",
    "%m/%d/%Y %H:%M": "03/14/2026 09:30",
    "%d.%m.%Y %H:%M": "14.03.2026 09:30",
    "%d-%m-%Y %H:%M": "14-03-2026 09:30",
}


class ReadError(ValueError):
    """The file cannot be read as asked; the message says what to choose or fix."""


@dataclass(frozen=True)
class Table:
    encoding: str
    delimiter: str
    header: list[str]
    rows: list[list[str]]


def decode(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: the one asked for, else UTF-8 (with or without BOM), else Latin-1 —
    which accepts any bytes, so it is only chosen when the file is not valid UTF-8, and it is said."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as error:
            raise ReadError(
                gettext("The file cannot be read as {encoding}: {error}.").format(
                    encoding=encoding, error=error.__class__.__name__
                )
            ) from None
    for candidate in ENCODINGS:
        try:
            return raw.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise ReadError(gettext("The file's text encoding could not be read."))  # not reached: latin-1 reads any bytes


def read_table(raw: bytes, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """Split a CSV into a header and rows; every row must have as many cells as the header."""
    if not raw.strip():
        raise ReadError(gettext("The file is empty."))
    text, used = decode(raw, encoding)
    if delimiter is None:
        first_line = text.splitlines()[0]
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts.values())
        found = [d for d, n in counts.items() if n == best and n > 0]
        if len(found) != 1:
            names = ", ".join(str(label) for label in DELIMITER_LABELS.values())
            raise ReadError(
                gettext("The column separator is not clear from the first line; choose one of: {names}.").format(
                    names=names
                )
            )
        delimiter = found[0]
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise ReadError(
            gettext("The file is not well-formed CSV (line {line}: {error}).").format(line=reader.line_num, error=error)
        ) from None
    header = [h.strip() for h in lines[0]]
    if len(set(header)) != len(header) or any(not h for h in header):
        raise ReadError(gettext("Every column needs a name in the first line, and no name may appear twice."))
    rows = [row for row in lines[1:] if any(cell.strip() for cell in row)]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ReadError(
                gettext("Line {line} has {cells} cells; the header has {columns}.").format(
                    line=number, cells=len(row), columns=len(header)
                )
            )
    return Table(used, delimiter, header, rows)


def date_formats_fitting(values: list[str]) -> list[str]:
    """The date formats that read every value (ignoring blanks)."""
    present = [v.strip() for v in values if v.strip()]
    fitting = []
    for pattern in DATE_FORMATS:
        try:
            for value in present:
                datetime.datetime.strptime(value, pattern)
        except ValueError:
            continue
        fitting.append(pattern)
    return fitting


def choose_date_format(values: list[str], asked: str | None) -> str:
    """The format asked for, or the single format that reads every value; ambiguity is an error that asks."""
    if asked:
        if asked not in DATE_FORMATS:
            raise ReadError(
                gettext("Unknown date format {format}; use one of: {formats}.").format(
                    format=repr(asked), formats=", ".join(DATE_FORMATS)
                )
            )
        return asked
    fitting = date_formats_fitting(values)
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        examples = "; ".join(DATE_FORMATS.values())
        raise ReadError(
            gettext("The dates are in no format Reciprocity reads. Write them like one of: {examples}.").format(
                examples=examples
            )
        )
    readings = [gettext("{format} (e.g. {example})").format(format=p, example=DATE_FORMATS[p]) for p in fitting]
    both = gettext("{formats} or {last}").format(formats=", ".join(readings[:-1]), last=readings[-1])
    raise ReadError(gettext("The dates could be read as {formats}; choose the date format.").format(formats=both))
