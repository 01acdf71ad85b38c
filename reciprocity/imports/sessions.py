"""Importing sessions (and their clients, and reflections where present) from a CSV: a plan first — what
would be created and every problem row with its reason — then all of it in one transaction, or nothing.

Importing the same file again creates nothing new: a session is the same when its client code and start
time are.
"""

import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, override

from reciprocity.clients.codes import normalise_code, validate_client_code
from reciprocity.clients.models import Client
from reciprocity.imports.reading import Table, choose_date_format
from reciprocity.insights import figures
from reciprocity.practice.models import User
from reciprocity.recall.tasks import index_owner
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Format, Mode, Occasion, Reflection, Session, Technique

REQUIRED = ("client", "starts_at")
NUMBERS = {"duration_minutes": (5, 480), "emotional_load": (0, 10), "arrival_calm": (0, 10),
           "arrival_tiredness": (0, 10), **dict.fromkeys(KEYS, (0, 4))}  # fmt: skip
FIELDS = ("client", "starts_at", "duration_minutes", "format", "mode", "techniques", "emotional_load",
          "worked_with_trauma", "arrival_calm", "arrival_tiredness", *KEYS, "gave_me", "carry_home")  # fmt: skip
YES, NO = {"1", "yes", "y", "true", "x", "ja", "oui"}, {"0", "no", "n", "false", "", "nein", "non"}
MAX_PROBLEMS_SHOWN = 200


class MappingError(ValueError):
    """The column mapping cannot be used: the message says why."""


@dataclass
class Plan:
    date_format: str
    new_clients: dict[str, datetime.date] = field(default_factory=dict)  # code -> first session date
    sessions: list[dict] = field(default_factory=list)
    already_there: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)

    @property
    def can_import(self) -> bool:
        return not self.problems and bool(self.sessions)

    @property
    def reflections(self) -> int:
        return sum(1 for s in self.sessions if s.get("ratings"))


def check_mapping(header: list[str], mapping: dict[str, str]) -> None:
    unknown_columns = [c for c in mapping if c not in header]
    if unknown_columns:
        raise MappingError(gettext("The file has no column {columns}.").format(columns=", ".join(unknown_columns)))
    unknown_fields = [f for f in mapping.values() if f not in FIELDS]
    if unknown_fields:
        raise MappingError(
            gettext("Unknown field {unknown}; fields are: {fields}.").format(
                unknown=", ".join(unknown_fields), fields=", ".join(FIELDS)
            )
        )
    targets = list(mapping.values())
    if doubled := sorted({f for f in targets if targets.count(f) > 1}):
        raise MappingError(gettext("Only one column can go to {fields}.").format(fields=", ".join(doubled)))
    if missing := [f for f in REQUIRED if f not in targets]:
        if len(missing) == 1:
            raise MappingError(gettext("Choose the column for {field}: it is required.").format(field=missing[0]))
        raise MappingError(
            gettext("Choose the columns for {first} and {second}: they are required.").format(
                first=missing[0], second=missing[1]
            )
        )
    ratings = [k for k in KEYS if k in targets]
    if ratings and len(ratings) != len(KEYS):
        raise MappingError(gettext("Map all seven rating columns, or none of them."))


def plan_import(
    user: User, table: Table, mapping: dict[str, str], *, date_format: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Plan:  # fmt: skip
    """Check every row without writing anything."""
    check_mapping(table.header, mapping)
    column = {f: table.header.index(c) for c, f in mapping.items()}
    start_values = [row[column["starts_at"]] for row in table.rows]
    plan = Plan(choose_date_format(start_values, date_format))
    zone = zoneinfo.ZoneInfo(user.time_zone)
    existing_codes = set(Client.objects.owned_by(user).values_list("code", flat=True))
    known = set(Session.objects.owned_by(user).values_list("client__code", "starts_at"))
    techniques = {t.name.lower(): t.pk for t in Technique.objects.owned_by(user)}
    seen: dict[tuple[str, datetime.datetime], int] = {}
    for number, row in enumerate(table.rows, start=2):
        if progress and number % 5000 == 0:
            progress(number)
        values = {f: row[i].strip() for f, i in column.items()}
        try:
            session = _session(values, plan.date_format, zone, techniques)
        except ValueError as problem:
            _problem(plan, number, str(problem))
            continue
        key = (session["code"], session["starts_at"])
        if key in seen:
            _problem(plan, number, gettext("the same client and time as line {line}").format(line=seen[key]))
            continue
        seen[key] = number
        if key in known:
            plan.already_there += 1
            continue
        if session["code"] not in existing_codes:
            day = session["starts_at"].astimezone(zone).date()
            plan.new_clients[session["code"]] = min(plan.new_clients.get(session["code"], day), day)
        plan.sessions.append(session)
    return plan


def _problem(plan: Plan, number: int, reason: str) -> None:
    plan.problems.append((number, reason))


def _session(values: dict[str, str], date_format: str, zone: zoneinfo.ZoneInfo, techniques: dict[str, int]) -> dict:
    code = normalise_code(values["client"])
    try:
        validate_client_code(code)
    except ValidationError as error:
        raise ValueError(
            gettext("client code {code}: {problem}").format(
                code=repr(values["client"]), problem=" ".join(error.messages)
            )
        ) from None
    try:
        local = datetime.datetime.strptime(values["starts_at"], date_format)
    except ValueError:
        raise ValueError(
            gettext("{value} is not a date and time like {format}").format(
                value=repr(values["starts_at"]), format=date_format
            )
        ) from None
    if not 1900 <= local.year <= 2100:
        raise ValueError(gettext("{value} is not between 1900 and 2100").format(value=repr(values["starts_at"])))
    session: dict = {"code": code, "starts_at": local.replace(tzinfo=zone)}
    for name, (low, high) in NUMBERS.items():
        if values.get(name, "") != "":
            session[name] = _number(name, values[name], low, high)
    session["format"] = _choice("format", values.get("format", ""), Format, Format.INDIVIDUAL)
    session["mode"] = _choice("mode", values.get("mode", ""), Mode, Mode.IN_PERSON)
    trauma = values.get("worked_with_trauma", "").lower()
    if trauma not in YES | NO:
        raise ValueError(
            gettext("worked_with_trauma {value} is not yes or no").format(value=repr(values["worked_with_trauma"]))
        )
    session["worked_with_trauma"] = trauma in YES
    names = [n.strip() for n in values.get("techniques", "").split(";") if n.strip()]
    if unknown := [n for n in names if n.lower() not in techniques]:
        raise ValueError(
            gettext("technique {names} is not in your list; add it there first").format(names=", ".join(unknown))
        )
    session["techniques"] = [techniques[n.lower()] for n in names]
    ratings = {k: session.pop(k) for k in KEYS if k in session}
    if ratings and len(ratings) != len(KEYS):
        raise ValueError(gettext("a reflection needs all seven ratings (0–4), or none"))
    if not ratings and (values.get("gave_me") or values.get("carry_home")):
        # A reflection is stored with its ratings; text alone would be dropped without a word, so the row is refused.
        raise ValueError(gettext("reflection text (gave_me, carry_home) needs all seven ratings (0–4) on the same row"))
    if ratings:
        if session["starts_at"] > datetime.datetime.now(datetime.UTC):
            raise ValueError(gettext("a session that has not happened yet cannot have a reflection"))
        session["ratings"] = ratings
        session["gave_me"], session["carry_home"] = values.get("gave_me", ""), values.get("carry_home", "")
    return session


def _number(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(gettext("{field} {value} is not a whole number").format(field=name, value=repr(raw))) from None
    if not low <= value <= high:
        raise ValueError(
            gettext("{field} {value} is not between {low} and {high}").format(
                field=name, value=value, low=low, high=high
            )
        )
    return value


def _choice(name: str, raw: str, choices: type, default: str) -> str:
    if not raw:
        return default
    with override("en-gb"):  # a file's words do not depend on the page's language: English labels always read
        english = {value: str(label).lower() for value, label in choices.choices}
    for value, label in choices.choices:
        if raw.lower() in {value, english[value], str(label).lower()}:
            return value
    labels = ", ".join(str(label).lower() for _, label in choices.choices)
    raise ValueError(
        gettext("{field} {value} is not one of {labels}").format(field=name, value=repr(raw), labels=labels)
    )


WRITE_BATCH = 2000


@transaction.atomic
def apply_plan(user: User, plan: Plan, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Create everything in the plan, or nothing: a plan with problems is refused.

    `progress` hears how many sessions are written so far, batch by batch, inside the one transaction.
    """
    if plan.problems:
        raise ValueError("The file has problem rows; nothing was imported.")
    Client.objects.bulk_create(
        [Client(therapist=user, code=code, started_on=day) for code, day in plan.new_clients.items()], batch_size=2000
    )
    clients = dict(Client.objects.owned_by(user).values_list("code", "pk"))
    optional = ("duration_minutes", "emotional_load", "arrival_calm", "arrival_tiredness")
    sessions = [
        Session(client_id=clients[s["code"]], starts_at=s["starts_at"], format=s["format"], mode=s["mode"],
                worked_with_trauma=s["worked_with_trauma"], **{k: s[k] for k in optional if k in s})
        for s in plan.sessions
    ]  # fmt: skip
    for start in range(0, len(sessions), WRITE_BATCH):
        Session.objects.bulk_create(sessions[start : start + WRITE_BATCH])
        if progress is not None:
            progress(min(start + WRITE_BATCH, len(sessions)))
    links = [
        Session.techniques.through(session_id=obj.pk, technique_id=t)
        for obj, s in zip(sessions, plan.sessions, strict=True)
        for t in s["techniques"]
    ]
    Session.techniques.through.objects.bulk_create(links, batch_size=5000)
    reflections = []
    for obj, s in zip(sessions, plan.sessions, strict=True):
        if s.get("ratings"):
            reflection = Reflection(author=user, session=obj, occasion=Occasion.SESSION, occurred_at=obj.starts_at,
                                    gave_me=s["gave_me"], carry_home=s["carry_home"])  # fmt: skip
            reflection.set_ratings(s["ratings"])
            reflections.append(reflection)
    Reflection.objects.bulk_create(reflections, batch_size=2000)
    figures.rebuild(user.pk)  # bulk inserts send no signals: the flywheel's figures are computed once, here
    if any(r.gave_me or r.carry_home for r in reflections):
        # Bulk inserts skip the per-entry indexing; the whole therapist is indexed once the import commits.
        transaction.on_commit(lambda: index_owner.enqueue(user.pk))
    return {"clients": len(plan.new_clients), "sessions": len(sessions), "reflections": len(reflections)}


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """`column=field` pairs from the command line."""
    mapping = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column or not target:
            raise MappingError(f"{pair!r} is not column=field.")
        mapping[column] = target
    return mapping
