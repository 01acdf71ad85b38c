from django.db.models import QuerySet

from reciprocity.audit.models import Action, Event
from reciprocity.practice.models import User


def access_to(user: User, action: str = "") -> QuerySet[Event]:
    """Every event about the user's data, newest first, optionally of one action; unknown actions mean all."""
    events = Event.objects.about(user).select_related("actor")
    if action in Action.values:
        events = events.filter(action=action)
    return events
