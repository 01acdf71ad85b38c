import datetime
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from reciprocity.clients.selectors import find_client
from reciprocity.lib.api import ERRORS, Day, InvalidInput, Pages, as_form_time, require_write, term_ids, validated
from reciprocity.lib.dates import on_local_days
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.forms import ReflectionForm, SessionForm
from reciprocity.therapy.models import Reflection, Session, Technique
from reciprocity.therapy.selectors import get_reflection_for, get_session_for, sent_reflection, sent_session
from reciprocity.therapy.services import AlreadyReflected, NotYetHappened, record_session, write_reflection

router = Router()


class SessionOut(Schema):
    id: int
    client: str
    starts_at: datetime.datetime
    duration_minutes: int
    format: str
    mode: str
    techniques: list[str]
    emotional_load: int | None
    worked_with_trauma: bool
    arrival_calm: int | None
    arrival_tiredness: int | None
    reflection: int | None

    @staticmethod
    def resolve_client(session: Session) -> str:
        return session.client.code

    @staticmethod
    def resolve_techniques(session: Session) -> list[str]:
        return [t.name for t in session.techniques.all()]

    @staticmethod
    def resolve_reflection(session: Session) -> int | None:
        return session.reflection.pk if session.has_reflection else None


SUBMISSION_ID = (
    "An id you make (a UUID) for this one write: sending it again with the same id returns what the first send "
    "saved (200) and saves nothing new, so a retry after a lost answer is safe."
)


class SessionIn(Schema):
    client: str
    starts_at: datetime.datetime
    duration_minutes: int = 50
    format: str = "individual"
    mode: str = "in_person"
    techniques: list[str] = []
    emotional_load: int | None = None
    worked_with_trauma: bool = False
    arrival_calm: int | None = None
    arrival_tiredness: int | None = None
    submission_id: uuid.UUID | None = Field(None, description=SUBMISSION_ID)


class Ratings(Schema):
    empathy: int
    communication: int
    reflection: int
    fulfillment: int
    resilience: int
    destigmatizing: int
    boundaries: int


class ReflectionOut(Schema):
    id: int
    session: int | None
    occasion: str
    occurred_at: datetime.datetime
    ratings: Ratings
    gave_me: str
    carry_home: str
    mood_before: int | None
    mood_after: int | None

    @staticmethod
    def resolve_session(reflection: Reflection) -> int | None:
        return reflection.session_id

    @staticmethod
    def resolve_ratings(reflection: Reflection) -> dict[str, int]:
        return reflection.ratings


class ReflectionIn(Schema):
    session: int | None = None
    occasion: str | None = None
    occurred_at: datetime.datetime | None = None
    ratings: Ratings
    gave_me: str = ""
    carry_home: str = ""
    mood_before: int | None = None
    mood_after: int | None = None
    submission_id: uuid.UUID | None = Field(None, description=SUBMISSION_ID)


def _form_value(value: object) -> object:
    return "" if value is None else value


@router.get("sessions", response={200: list[SessionOut], **ERRORS}, summary="Your sessions, newest first")
@paginate(Pages)
def list_sessions(request: HttpRequest, since: Day | None = None, until: Day | None = None, client: str = "") -> object:
    """Filter by date (`since`, `until`, in your time zone, inclusive) and by client code."""
    sessions = on_local_days(Session.objects.owned_by(request.user).for_listing(), "starts_at", since, until)
    if client:
        sessions = sessions.filter(client=find_client(request.user, client))
    return sessions


@router.get("sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="One session")
def get_session(request: HttpRequest, session_id: int) -> Session:
    return get_session_for(request.user, session_id)


@router.post("sessions", response={200: SessionOut, 201: SessionOut, **ERRORS}, summary="Log a session")
def create_session(request: HttpRequest, payload: SessionIn) -> Status:
    require_write(request)
    if sent := sent_session(request.user, payload.submission_id):
        return Status(200, sent)
    own = find_client(request.user, payload.client)
    data = {k: _form_value(v) for k, v in payload.dict().items() if k not in {"client", "techniques", "starts_at"}}
    data |= {
        "client": own.pk if own else "unknown",
        "starts_at": as_form_time(payload.starts_at),
        "techniques": term_ids(Technique.objects.offered_to(request.user), payload.techniques),
        "worked_with_trauma": "on" if payload.worked_with_trauma else "",
        "submission_id": _form_value(payload.submission_id),
    }
    cleaned = validated(SessionForm(data, therapist=request.user))
    return Status(201, record_session(therapist=request.user, **cleaned))


@router.get("reflections", response={200: list[ReflectionOut], **ERRORS}, summary="Your reflections, newest first")
@paginate(Pages)
def list_reflections(request: HttpRequest, since: Day | None = None, until: Day | None = None) -> object:
    return on_local_days(Reflection.objects.owned_by(request.user), "occurred_at", since, until)


@router.get("reflections/{reflection_id}", response={200: ReflectionOut, **ERRORS}, summary="One reflection")
def get_reflection(request: HttpRequest, reflection_id: int) -> Reflection:
    return get_reflection_for(request.user, reflection_id)


@router.post(
    "reflections",
    response={200: ReflectionOut, 201: ReflectionOut, **ERRORS},
    summary="Reflect on a session or another occasion",
)
def create_reflection(request: HttpRequest, payload: ReflectionIn) -> Status:
    """Each of the seven ratings is 0 (not touched) to 4 (strongly); a session may have one reflection."""
    require_write(request)
    if sent := sent_reflection(request.user, payload.submission_id):
        return Status(200, sent)
    data = {key: getattr(payload.ratings, key) for key in KEYS}
    fields = ("gave_me", "carry_home", "mood_before", "mood_after", "submission_id")
    data |= {k: _form_value(getattr(payload, k)) for k in fields}
    if payload.session is not None:
        data["session"] = payload.session
    else:
        data["occasion"] = payload.occasion or ""
        data["occurred_at"] = as_form_time(payload.occurred_at or timezone.now())
    form = ReflectionForm(data, author=request.user)
    validated(form)
    try:
        reflection = write_reflection(
            author=request.user, session=form.cleaned_data.get("session"), ratings=form.ratings, **form.details
        )
    except (AlreadyReflected, NotYetHappened) as problem:
        form.add_error(None, str(problem))
        raise InvalidInput(form) from None
    return Status(201, reflection)
