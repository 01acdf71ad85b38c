"""The PII guard: what in a text could identify a client, found before anything is shared.

Rules and word lists, no model: e-mail addresses, phone numbers, dates, street addresses and postcodes,
ages, social-media handles, IP addresses, web addresses, named institutions (hospitals, schools, clinics,
employers…), quasi-identifiers ("the only pharmacist in <town>") and personal names (pii_names.py).
docs/sharing.md reports recall by kind and precision on the held-back half of the labelled set in
pii_set/, and how the candidates it was chosen over measured.
"""

import ipaddress
import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.sharing.pii_names import EVERYDAY, NOT_A_PERSON, find_names, frequency, is_everyday
from reciprocity.sharing.pii_patterns import (
    ADDRESS,
    AGE,
    AGE_AFTER_PERSON,
    AT_A_SCORE,
    AT_AGE,
    EMAIL,
    EMPLOYER,
    FELT,
    HANDLE,
    HANDLE_CUE,
    INSTITUTION,
    IPV4,
    IPV6,
    LOCAL_PHONE,
    NAMED_DAY,
    NAMED_HANDLE,
    NUMERIC_DATE,
    PHONE,
    POSTCODE,
    QUASI,
    TITLED_NAME,
    URL,
    WORD_DATE,
)
from reciprocity.sharing.pii_words import NOT_A_DAY, NOT_PEOPLE, STARTERS

AND_AGE = re.compile(r"\s*(?:and|or|&)\s+(\d{1,3})\b(?!\s*(?:%|years|weeks|months|days|hours|minutes))")
PERSON_NOUNS = frozenset(["client", "pt", "patient", "woman", "man", "boy", "girl"])
LOOK = 60  # how far back the words that qualify a finding are read ("felt about", "GAD-7 at")
PRONOUN = re.compile(r"\b(?:she|he|they|his|her|their)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KIND_LABELS
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """What a therapist confirms: the kind and the exact words (the same words anywhere count once)."""
        return f"{self.kind}:{self.text}"


# What kind of detail a finding is, as a person reads it: translated when shown; a finding stores its kind.
KIND_LABELS = {
    "name": _("a personal name"),
    "email": _("an e-mail address"),
    "phone": _("a phone number"),
    "date": _("a date"),
    "address": _("an address or postcode"),
    "age": _("an age"),
    "handle": _("a social-media handle"),
    "ip": _("an IP address"),
    "url": _("a web address"),
    "institution": _("a named institution"),
    "quasi": _("a role that could point to one person"),
}


def _phones(text: str) -> list[Finding]:
    out = _matches("phone", LOCAL_PHONE, text)
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 15 and not NUMERIC_DATE.fullmatch(m.group().strip()) and not IPV4.fullmatch(m.group()):
            out.append(Finding("phone", m.start(), m.end(), m.group()))
    return out


def _ips(text: str) -> list[Finding]:
    out = []
    for m in [*IPV4.finditer(text), *IPV6.finditer(text)]:
        try:
            ipaddress.ip_address(m.group())
        except ValueError:
            continue
        out.append(Finding("ip", m.start(), m.end(), m.group()))
    return out


def _handles(text: str) -> list[Finding]:
    """@names, u/names, name#1234, and words shaped like user names (under_scores, digits, dots)."""
    out = []
    for m in HANDLE.finditer(text):
        word = m.group()
        shaped = word.startswith(("@", "u/")) or "#" in word
        camel = sum(c.isupper() for c in word[1:]) >= 2 and not word.isupper()  # "ChaiAndChaos"
        cued = bool(HANDLE_CUE.search(text[max(0, m.start() - LOOK) : m.start()]))
        if not shaped and not camel and not cued and "_" not in word:
            continue
        if word.lower() in NOT_PEOPLE or word.lower() in STARTERS:
            continue
        out.append(Finding("handle", m.start(), m.end(), word))
    for m in NAMED_HANDLE.finditer(text):
        handle = m.group("handle")
        if handle.lower() not in NOT_PEOPLE and not handle.istitle() and not is_everyday(handle):
            out.append(Finding("handle", m.start("handle"), m.end("handle"), m.group("handle")))
    return out


def _ages(text: str, names: list[tuple[int, int]]) -> list[Finding]:
    """Ages in so many words ("aged 7", "a 43-year-old"), and numbers that follow a person ("Nour, 24,")."""
    found = _matches("age", AGE, text)
    for f in _matches("age", AT_AGE, text):
        if f.text.startswith("at") and (AT_A_SCORE.search(text[max(0, f.start - LOOK) : f.start]) or not PRONOUN.search(
                text[max(0, f.start - 40) : f.end + 12])):  # fmt: skip
            continue
        found.append(f)
    for m in AGE_AFTER_PERSON.finditer(text):
        person = m.group("person")
        named = any(end == m.end("person") for _, end in names)
        everyday = frequency(person.lower()) >= EVERYDAY and person.lower() not in PERSON_NOUNS
        if person[0].isupper() and not named and (everyday or person.isupper()):
            continue
        found.append(Finding("age", m.start("age"), m.end("age"), m.group("age")))
    for f in list(found):  # "married at 18 and 16": the second number is an age too
        if m := AND_AGE.match(text, f.end):
            found.append(Finding("age", m.start(1), m.end(1), m.group(1)))
    return [f for f in found if not FELT.search(text[max(0, f.start - LOOK) : f.start])]


def _named_days(text: str) -> list[Finding]:
    return [f for f in _matches("date", NAMED_DAY, text) if f.text.split()[0].lower() not in NOT_A_DAY]


def _employers(text: str) -> list[Finding]:
    return [Finding("institution", m.start(1), m.end(1), m.group(1)) for m in EMPLOYER.finditer(text)
            if m.group(1).split()[0].lower() not in ("home", "the", "night", "weekends")]  # fmt: skip


def _not_an_institution(words: str) -> bool:
    """A brand or platform before a kind of place ("WhatsApp group"), or an everyday word ("Peer group")."""
    first, *rest = words.split()
    compound = "-" in first and first.rsplit("-", 1)[1].islower()  # "Neurodivergent-affirming practice"
    return first.lower() in NOT_PEOPLE or compound or (len(rest) == 1 and rest[0].islower() and is_everyday(first))


def _matches(kind: str, pattern: re.Pattern[str], text: str) -> list[Finding]:
    return [Finding(kind, m.start(), m.end(), m.group().rstrip(".")) for m in pattern.finditer(text)]


def find_pii(text: str) -> list[Finding]:
    """Every finding, in order; overlapping findings keep the longest."""
    names = find_names(text) + [(m.start(), m.end()) for m in TITLED_NAME.finditer(text)]
    candidates = [
        *_matches("email", EMAIL, text),
        *_phones(text),
        *_ips(text),
        *_matches("url", URL, text),
        *_handles(text),
        *_matches("date", NUMERIC_DATE, text),
        *_matches("date", WORD_DATE, text),
        *_named_days(text),
        *_matches("address", ADDRESS, text),
        *_matches("address", POSTCODE, text),
        *_ages(text, names),
        *_matches("quasi", QUASI, text),
        *(
            f
            for f in [*_matches("institution", INSTITUTION, text), *_employers(text)]
            if not _not_an_institution(f.text)
        ),
        *_matches("name", TITLED_NAME, text),
        *(Finding("name", start, end, text[start:end]) for start, end in find_names(text)),
    ]
    masked = [range(m.start(), m.end() + 1) for m in NOT_A_PERSON.finditer(text)]
    candidates = [f for f in candidates if not any(f.start in r and f.end in r for r in masked)]
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
        pieces += [text[cursor : f.start], gettext("[withheld: {kind}]").format(kind=KIND_LABELS[f.kind])]
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
