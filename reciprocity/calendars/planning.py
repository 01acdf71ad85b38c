"""What an import of calendar events would do, worked out without writing anything.

Between the pages an import keeps only `Found` occurrences — fingerprints, start times and lengths — never a
title or a UID. The therapist's choices map a title's fingerprint to a client code or to SKIP.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from reciprocity.calendars.fingerprints import event_digest, title_digest
from reciprocity.calendars.models import ImportedEvent, TitleMapping
from reciprocity.calendars.reading import Reading
from reciprocity.clients.models import Client
from reciprocity.practice.models import User
from reciprocity.therapy.models import Session

SKIP = "skip"  # the choice "not a session: always leave it out"


@dataclass(frozen=True)
class Found:
    """One occurrence as an import keeps it between pages: fingerprints, not words."""

    event: str
    title: str
    starts_at: datetime.datetime  # aware
    minutes: int

    def as_list(self) -> list[object]:
        return [self.event, self.title, self.starts_at.isoformat(), self.minutes]

    @classmethod
    def from_list(cls, values: list) -> "Found":
        event, title, starts_at, minutes = values
        return cls(str(event), str(title), datetime.datetime.fromisoformat(starts_at), int(minutes))


@dataclass
class Title:
    """A title of the calendar for the mapping page; its words exist only while that page is made."""

    digest: str
    text: str
    count: int
    first: datetime.datetime
    last: datetime.datetime


def fingerprint(therapist: User, reading: Reading) -> tuple[list[Found], list[Title]]:
    """The occurrences as fingerprints, and each distinct title once (most frequent first)."""
    found, titles = [], {}
    for occurrence in reading.occurrences:
        digest = title_digest(therapist.pk, occurrence.title)
        event = event_digest(therapist.pk, occurrence.uid, occurrence.recurrence)
        found.append(Found(event, digest, occurrence.starts_at, occurrence.minutes))
        title = titles.setdefault(
            digest, Title(digest, occurrence.title, 0, occurrence.starts_at, occurrence.starts_at)
        )
        title.count += 1
        title.first, title.last = min(title.first, occurrence.starts_at), max(title.last, occurrence.starts_at)
    return found, sorted(titles.values(), key=lambda t: (-t.count, t.first))


def remembered_choices(therapist: User, digests: Iterable[str]) -> dict[str, str]:
    """The choices made at earlier imports for these titles: a client code, or SKIP."""
    mappings = TitleMapping.objects.owned_by(therapist).filter(title_digest__in=list(digests)).select_related("client")
    return {m.title_digest: m.client.code if m.client else SKIP for m in mappings}


@dataclass(frozen=True)
class Planned:
    found: Found
    code: str


@dataclass
class Plan:
    sessions: list[Planned] = field(default_factory=list)
    new_clients: dict[str, datetime.date] = field(default_factory=dict)  # code -> the day of its first session
    matched: list[tuple[str, int]] = field(default_factory=list)  # (event, session id) logged by other means
    already_imported: int = 0
    not_mapped: int = 0
    skipped: int = 0

    @property
    def already_there(self) -> int:
        return self.already_imported + len(self.matched)


def plan_import(therapist: User, found: list[Found], choices: dict[str, str]) -> Plan:
    """Which sessions the import would create: mapped titles only, each event once, never twice a session.

    An occurrence already imported (by its fingerprint), or one whose client already has a session starting
    at that moment, creates nothing; the second is remembered as imported.
    """
    plan = Plan()
    zone = therapist.zone
    clients = dict(Client.objects.owned_by(therapist).values_list("code", "pk"))
    imported = set(
        ImportedEvent.objects.owned_by(therapist)
        .filter(event_digest__in=[f.event for f in found])
        .values_list("event_digest", flat=True)
    )
    existing = _existing_sessions(therapist, found)
    seen_events, seen_slots = set(), set()
    for item in found:
        code = choices.get(item.title)
        if code is None:
            plan.not_mapped += 1
            continue
        if code == SKIP:
            plan.skipped += 1
            continue
        slot = (code, item.starts_at)
        if item.event in imported or item.event in seen_events or slot in seen_slots:
            plan.already_imported += 1
            continue
        seen_events.add(item.event)
        seen_slots.add(slot)
        if slot in existing:
            plan.matched.append((item.event, existing[slot]))
            continue
        if code not in clients:
            day = item.starts_at.astimezone(zone).date()
            plan.new_clients[code] = min(plan.new_clients.get(code, day), day)
        plan.sessions.append(Planned(item, code))
    return plan


def _existing_sessions(therapist: User, found: list[Found]) -> dict[tuple[str, datetime.datetime], int]:
    if not found:
        return {}
    starts = [f.starts_at for f in found]
    rows = (
        Session.objects.owned_by(therapist)
        .filter(starts_at__gte=min(starts), starts_at__lte=max(starts))
        .values_list("client__code", "starts_at", "pk")
    )
    return {(code, starts_at): pk for code, starts_at, pk in rows}
