"""The PII guard: what in a text could identify a client, found before anything is shared.

Rules, not a model: e-mail addresses, phone numbers, dates, street addresses and postcodes, an age
together with a place, and personal names (a title and a capitalised word; or a capitalised first name
from the US census lists shipped in the PyPI package `names`, unless it is also an everyday word).
docs/sharing.md reports precision and recall on the labelled sentences in tests/pii_sentences.py.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_MONTH_WORDS = "january february march april may june july august september october november december"
_MONTH_SHORT = "jan feb mar apr jun jul aug sep sept oct nov dec"
MONTHS = (_MONTH_WORDS + " " + _MONTH_SHORT).split()
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
WEEKDAYS = _DAYS.split()
# First names that are also everyday words, or words that often start a sentence: a name only when a
# surname or a title follows.
_AMBIGUOUS = (
    "may june april august will bill hope faith grace joy rose mark art jack pat sue dawn eve rich frank "
    "rob ray guy max sky summer autumn winter page chase hunter angel star ruby amber jade iris ivy lily "
    "daisy holly heather violet sage penny cliff dean don gene jean lane lee young long king hall wood "
    "carol christian colt crystal destiny ebony essence gay gill glen harmony honey justice kay love "
    "lucky major mercy miles misty page paris patience pearl precious price rock royal sandy shirley "
    "sonny sterling storm sunny tanner trinity unique van victory wade ward warren wells will an ann in "
    "is or so to my me we he us it on at as be by do go no of up the and are his her our all any can did "
    "has had let see sat set way day den dot else ed em ella ha hal la le lu ma mae mai mo ok pa ta tu ty "
    "val vi wan yu zoe tom rusty skip tim ted bud buck chip dick "
)
AMBIGUOUS = frozenset([*_AMBIGUOUS.split(), *MONTHS, *WEEKDAYS])
TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Father|Sister|Auntie|Uncle)"

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(
    r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]?\d{2,5}){1,4}(?!\w|[/.-]\d)"
)
NUMERIC_DATE = re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\b")
_MONTH = r"(?:" + "|".join(MONTHS) + r")\.?"
WORD_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|(?:born|died|married)\s+(?:in|on)\s+(?:{_MONTH}\s+)?\d{{4}}(?![-/.]?\d))\b",
    re.IGNORECASE,
)
STREET = (
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Drive|Dr|Close|Court|Ct|Crescent|Way|Place|Pl|Square|Sq|"
    r"Terrace|Gardens|Grove|Hill|Row|Mews|Walk|Parade|Boulevard|Blvd)"
)
ADDRESS = re.compile(rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][a-z'’-]+\s+){{1,3}}{STREET}\b\.?")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
AGE = r"(?:\b\d{1,3}[\s-]?(?:year|yr)s?[\s-]?old\b|\b[Aa]ged?\s+\d{1,3}\b|\b\d{1,3}\s*(?:y/?o|yo)\b)"
AGE_PLACE = re.compile(
    rf"{AGE}[^.!?\n]{{0,60}}?\b(?:from|in|at|near|of|lives in|living in)\s+(?:the\s+)?"
    rf"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
    rf"|\b(?:from|in)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?[^.!?\n]{{0,40}}?{AGE}"
)
TITLED_NAME = re.compile(rf"\b{TITLES}\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
CAPITALISED = re.compile(r"\b[A-Z][a-z'’-]+")
POSSESSIVE = re.compile(r"['’]s$")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“]\s*)$")


@dataclass(frozen=True)
class Finding:
    kind: str  # name, email, phone, date, address, age_place
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """What a therapist confirms: the kind and the exact words (the same words anywhere count once)."""
        return f"{self.kind}:{self.text}"


KIND_LABELS = {
    "name": "a personal name",
    "email": "an e-mail address",
    "phone": "a phone number",
    "date": "a date",
    "address": "an address or postcode",
    "age_place": "an age with a place",
}


@cache
def _census(file: str) -> frozenset[str]:
    import names

    path = Path(names.__file__).parent / file
    return frozenset(line.split()[0].lower() for line in path.read_text().splitlines() if line.strip())


def first_names() -> frozenset[str]:
    return _census("dist.male.first") | _census("dist.female.first")


def surnames() -> frozenset[str]:
    return _census("dist.all.last")


def _names(text: str) -> list[Finding]:
    found = [Finding("name", m.start(), m.end(), m.group()) for m in TITLED_NAME.finditer(text)]
    known_first, known_last = first_names(), surnames()
    words = list(CAPITALISED.finditer(text))
    for n, match in enumerate(words):
        first = POSSESSIVE.sub("", match.group()).lower()
        if first not in known_first:
            continue
        following = words[n + 1] if n + 1 < len(words) else None
        with_surname = (
            following is not None
            and text[match.end() : following.start()] == " "
            and following.group().lower() not in AMBIGUOUS
            and following.group().lower() in known_last
        )
        at_start = bool(SENTENCE_START.search(text[: match.start()]))
        if first in AMBIGUOUS and not with_surname:
            continue
        if at_start and not with_surname and first in _STARTERS:
            continue
        end = following.end() if with_surname else match.end()
        found.append(Finding("name", match.start(), end, text[match.start() : end]))
    return found


# Capitalised at the start of a sentence these are usually not names.
_STARTERS = frozenset(["an", "so", "see", "said", "sat", "then", "today", "when", "while", "after", "before", "during"])


def _phones(text: str) -> list[Finding]:
    out = []
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 15 and not NUMERIC_DATE.fullmatch(m.group().strip()):
            out.append(Finding("phone", m.start(), m.end(), m.group()))
    return out


def find_pii(text: str) -> list[Finding]:
    """Every finding, in order; overlapping findings keep the longest."""
    candidates = [
        *(Finding("email", m.start(), m.end(), m.group()) for m in EMAIL.finditer(text)),
        *_phones(text),
        *(Finding("date", m.start(), m.end(), m.group()) for m in NUMERIC_DATE.finditer(text)),
        *(Finding("date", m.start(), m.end(), m.group()) for m in WORD_DATE.finditer(text)),
        *(Finding("address", m.start(), m.end(), m.group().rstrip(".")) for m in ADDRESS.finditer(text)),
        *(Finding("address", m.start(), m.end(), m.group()) for m in POSTCODE.finditer(text)),
        *(Finding("age_place", m.start(), m.end(), m.group()) for m in AGE_PLACE.finditer(text)),
        *_names(text),
    ]
    kept: list[Finding] = []
    for finding in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def unconfirmed(text: str, confirmed: set[str]) -> list[Finding]:
    """Findings the therapist has neither edited away nor confirmed as not identifying."""
    return [f for f in find_pii(text) if f.key not in confirmed]


def withhold(text: str, confirmed: set[str]) -> tuple[str, list[Finding]]:
    """The text with every unconfirmed finding replaced by what kind of detail it was, and those findings."""
    held = unconfirmed(text, confirmed)
    pieces, cursor = [], 0
    for f in held:
        pieces += [text[cursor : f.start], f"[withheld: {KIND_LABELS[f.kind]}]"]
        cursor = f.end
    return "".join([*pieces, text[cursor:]]), held


@dataclass(frozen=True)
class Marked:
    text: str
    finding: Finding | None


def marked(text: str, findings: list[Finding]) -> list[Marked]:
    """The text in pieces, each finding its own piece, for highlighting in a form."""
    pieces, cursor = [], 0
    for f in findings:
        if f.start > cursor:
            pieces.append(Marked(text[cursor : f.start], None))
        pieces.append(Marked(text[f.start : f.end], f))
        cursor = f.end
    if cursor < len(text):
        pieces.append(Marked(text[cursor:], None))
    return pieces


def review(text: str, confirmed: set[str]) -> dict[str, object]:
    """What a form shows for a text about to be shared: the findings marked in place, and which are confirmed."""
    findings = find_pii(text)
    return {"findings": findings, "marked": marked(text, findings), "labels": KIND_LABELS, "confirmed": confirmed}
