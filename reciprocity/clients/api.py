import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from reciprocity.clients.forms import ClientForm
from reciprocity.clients.models import Client, Concern
from reciprocity.clients.selectors import client_list, get_client_for
from reciprocity.clients.services import DuplicateCode, register_client
from reciprocity.lib.api import ERRORS, InvalidInput, Pages, require_write, term_ids, validated

router = Router()


class ClientOut(Schema):
    code: str
    concerns: list[str]
    started_on: datetime.date
    ended_on: datetime.date | None
    is_active: bool

    @staticmethod
    def resolve_concerns(client: Client) -> list[str]:
        return [c.name for c in client.concerns.all()]


class ClientIn(Schema):
    code: str
    started_on: datetime.date
    ended_on: datetime.date | None = None
    concerns: list[str] = []


@router.get("", response={200: list[ClientOut], **ERRORS}, summary="Your clients")
@paginate(Pages)
def list_clients(
    request: HttpRequest, status: str = "active", since: datetime.date | None = None, until: datetime.date | None = None
) -> object:
    """Your clients by code; `status` is active, ended or all; `since`/`until` filter by the start date."""
    clients = client_list(request.user, status=status if status in {"active", "ended", "all"} else "active")
    if since:
        clients = clients.filter(started_on__gte=since)
    if until:
        clients = clients.filter(started_on__lte=until)
    return clients


@router.get("/{code}", response={200: ClientOut, **ERRORS}, summary="One client")
def get_client(request: HttpRequest, code: str) -> Client:
    return get_client_for(request.user, code)


@router.post("", response={201: ClientOut, **ERRORS}, summary="Add a client")
def create_client(request: HttpRequest, payload: ClientIn) -> Status:
    """Add a client under a pseudonymous code (no names or birth dates: the code rules refuse them)."""
    require_write(request)
    data = {
        "code": payload.code,
        "started_on": payload.started_on,
        "ended_on": payload.ended_on or "",
        "concerns": term_ids(Concern.objects.offered_to(request.user), payload.concerns),
    }
    form = ClientForm(data, therapist=request.user)
    cleaned = validated(form)
    try:
        return Status(201, register_client(therapist=request.user, **cleaned))
    except DuplicateCode:
        form.add_error("code", gettext("You already have a client with this code."))
        raise InvalidInput(form) from None
