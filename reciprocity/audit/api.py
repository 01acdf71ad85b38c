import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from reciprocity.audit.models import Action, Event
from reciprocity.audit.selectors import access_to
from reciprocity.lib.api import ERRORS, Pages

router = Router()


class EventOut(Schema):
    when: datetime.datetime
    action: Action
    what: str
    actor: str | None = Field(None, description="who did it: 'you', a name, or null (unknown or deleted)")
    address: str | None = Field(None, description="the IP address the request came from")
    object_kind: str = Field("", description="the kind of object concerned, e.g. sharing.share")
    object_id: str = ""

    @staticmethod
    def resolve_actor(event: Event, context: dict) -> str | None:
        if event.actor is None:
            return None
        return "you" if event.actor_id == context["request"].user.pk else event.actor.display_name


@router.get("", response={200: list[EventOut], **ERRORS}, summary="Access to your data")
@paginate(Pages)
def list_events(request: HttpRequest, action: Action | None = None) -> QuerySet[Event]:
    """Every sign-in, export, and read or change of your data by anyone, newest first; only your own."""
    return access_to(request.user, action or "")
