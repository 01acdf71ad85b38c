from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from reciprocity.clients.codes import CODE_PATTERN, normalise_code
from reciprocity.clients.models import Client
from reciprocity.practice.models import User


def get_client_for(user: User, code: str) -> Client:
    """The user's own client with this code, or 404 — another therapist's code is indistinguishable from none."""
    return get_object_or_404(Client.objects.owned_by(user), code=normalise_code(code))


def find_client(user: User, code: str) -> Client | None:
    """The user's own client with this code, or None (also for text that cannot be a code at all)."""
    code = normalise_code(code)
    if not CODE_PATTERN.match(code):
        return None
    return Client.objects.owned_by(user).filter(code=code).first()


def client_list(user: User, *, status: str = "active") -> QuerySet[Client]:
    clients = Client.objects.owned_by(user).prefetch_related("concerns")
    if status == "active":
        clients = clients.active()
    elif status == "ended":
        clients = clients.filter(ended_on__isnull=False)
    return clients.annotate(session_count=Count("sessions"), last_session_at=Max("sessions__starts_at"))
