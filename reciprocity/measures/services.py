import datetime
import secrets
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from reciprocity.clients.models import Client
from reciprocity.lib.ownership import NotYours
from reciprocity.measures import registry
from reciprocity.measures.definitions import Instrument
from reciprocity.measures.models import Administration, ClientLink, Source, hash_token
from reciprocity.measures.scoring import AnswerError, TooManyMissing, score
from reciprocity.practice.models import User
from reciprocity.therapy.models import Session

LINK_HOURS = 72


class LinkClosed(Exception):
    """The link was used already or has expired (HTTP 410)."""


@transaction.atomic
def record_administration(
    *,
    therapist: User,
    instrument: Instrument,
    answers: Mapping[str, int | None],
    client: Client | None = None,
    session: Session | None = None,
    completed_at: datetime.datetime | None = None,
    source: str = Source.THERAPIST,
    note: str = "",
    coding: str = "",
    language: str = "",
) -> Administration:
    """Score answers exactly as the instrument's manual says and store them, as given, with the scores.

    `coding` names the published coding the answers are in (empty: the response sets' own), `language`
    the version they were answered in (empty: the instrument file's own; a translation's answers are the
    instrument's, so `instrument` is always the instrument itself). Answers that cannot be scored (an
    unknown item or coding, a value out of range, more missing items than the manual allows) raise
    AnswerError and store nothing.
    """
    if client is not None and client.therapist_id != therapist.pk:
        raise NotYours("A questionnaire can only be recorded for your own client.")
    if session is not None and session.client_id != getattr(client, "pk", None):
        raise NotYours("The session must be one of this client's.")
    if not instrument.is_for("therapist") and client is None:
        raise AnswerError(
            gettext("{name} is a client measure: choose the client it is about.").format(name=instrument.short_name)
        )
    if not instrument.is_for("client") and client is not None:
        raise AnswerError(
            gettext("{name} is about the therapist's own well-being, not a client.").format(name=instrument.short_name)
        )
    administration = scored_administration(
        therapist=therapist, instrument=instrument, answers=answers, client=client, session=session,
        completed_at=completed_at, source=source, coding=coding,
    )  # fmt: skip
    administration.language = language or instrument.language
    administration.note = note.strip()
    administration.save()
    return administration


def scored_administration(
    *,
    therapist: User,
    instrument: Instrument,
    answers: Mapping[str, int | None],
    client: Client | None,
    session: Session | None = None,
    completed_at: datetime.datetime | None = None,
    source: str = Source.THERAPIST,
    coding: str = "",
) -> Administration:
    """An unsaved administration with its scores, bands and flags; AnswerError if it cannot be scored."""
    result = score(instrument, answers, coding)
    if result.problems:
        raise TooManyMissing(" ".join(result.problems))
    return Administration(
        therapist=therapist,
        client=client,
        session=session,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        completed_at=completed_at or timezone.now(),
        source=Source.SELF if client is None else source,
        answers=dict(answers),
        coding=result.coding.id if result.coding else "",
        total=result.total,
        band=result.band.label if result.band else "",
        scale_scores={scale.id: result.scales[scale.id].stored(scale) for scale in instrument.scales},
        flags=[f.id for f in result.flags],
    )


def create_client_link(
    *, therapist: User, client: Client, instrument: Instrument, language: str = "", hours: int = LINK_HOURS
) -> tuple[ClientLink, str]:
    """A single-use link for a client; returns the link and its token, which is shown once and never stored.

    `language` picks one of the instrument's versions (`registry.versions`; empty: the instrument file's own):
    the client's page shows that version's words.
    """
    if client.therapist_id != therapist.pk:
        raise NotYours("Links can only be made for your own clients.")
    if not instrument.is_for("client"):
        raise AnswerError(gettext("{name} is not a client measure.").format(name=instrument.short_name))
    version = registry.version(instrument.id, language or instrument.language)  # UnknownVersion: no such language
    token = secrets.token_urlsafe(32)
    link = ClientLink.objects.create(
        client=client,
        created_by=therapist,
        instrument_id=instrument.id,
        language=version.language,
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    return link, token


def open_link(token: str) -> ClientLink | None:
    """The link behind a token, whatever its state; None when no link has this token."""
    return ClientLink.objects.select_related("client").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def submit_client_link(token: str, answers: Mapping[str, int | None], version: Instrument) -> Administration:
    """Record a client's answers through their link, once; the link is dead afterwards.

    `version` is what the client answered: the instrument or a translation of it. Either way the answers
    are scored and stored as the instrument's, with the version's language; answers that cannot be scored
    are refused in the version's own words (its scale names).
    """
    link = ClientLink.objects.select_for_update().select_related("client").get(token_hash=hash_token(token))
    if not link.is_open:
        raise LinkClosed("This link has already been used or has expired.")
    if problems := score(version, answers).problems:
        raise TooManyMissing(" ".join(problems))
    administration = record_administration(
        therapist=link.created_by,
        instrument=registry.original(version),
        answers=answers,
        client=link.client,
        source=Source.CLIENT_LINK,
        language=version.language,
    )
    link.used_at, link.administration = timezone.now(), administration
    link.save(update_fields=["used_at", "administration"])
    return administration


def acknowledge_flags(administration: Administration) -> Administration:
    """The therapist has seen the risk flag and acted on it; it stops showing on Today."""
    if administration.flags and administration.flags_acknowledged_at is None:
        administration.flags_acknowledged_at = timezone.now()
        administration.save(update_fields=["flags_acknowledged_at"])
    return administration
