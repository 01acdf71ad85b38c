from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from reciprocity.calendars.models import ImportedEvent, TitleMapping
from reciprocity.calendars.planning import SKIP, Found, Plan, plan_import
from reciprocity.clients.models import Client
from reciprocity.clients.services import register_client
from reciprocity.practice.models import User
from reciprocity.therapy.services import record_session


class ImportCollided(ValueError):
    """Another import of the same events finished first; this one changed nothing."""


def import_sessions(*, therapist: User, found: list[Found], choices: dict[str, str]) -> Plan:
    """Remember the title choices and create the planned sessions (and new clients): all of it, or nothing.

    Each session is recorded through therapy's `record_session`, one by one, so the flywheel's figures and the
    search index follow as they do for a session logged by hand. The plan is worked out again inside the
    transaction, so a second click or a second import creates nothing new.
    """
    try:
        with transaction.atomic():
            return _import(therapist, found, choices)
    except IntegrityError:
        raise ImportCollided(gettext("Another import of these events finished first; nothing was imported.")) from None


def _import(therapist: User, found: list[Found], choices: dict[str, str]) -> Plan:
    plan = plan_import(therapist, found, choices)
    for code, first_day in plan.new_clients.items():
        register_client(therapist=therapist, code=code, started_on=first_day)
    clients = {c.code: c for c in Client.objects.owned_by(therapist)}
    _remember(therapist, {f.title for f in found}, choices, clients)
    for planned in plan.sessions:
        session = record_session(
            therapist=therapist,
            client=clients[planned.code],
            starts_at=planned.found.starts_at,
            duration_minutes=planned.found.minutes,
        )
        ImportedEvent.objects.create(therapist=therapist, event_digest=planned.found.event, session=session)
    ImportedEvent.objects.bulk_create(
        [ImportedEvent(therapist=therapist, event_digest=event, session_id=pk) for event, pk in plan.matched]
    )  # rows of this app only: no figures or index hang on them
    return plan


def _remember(therapist: User, titles: set[str], choices: dict[str, str], clients: dict[str, Client]) -> None:
    for digest, code in choices.items():
        if digest in titles:
            TitleMapping.objects.update_or_create(
                therapist=therapist, title_digest=digest, defaults={"client": None if code == SKIP else clients[code]}
            )
