from django.http import HttpRequest

from reciprocity.practice.models import Role


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which parts of the navigation this person's roles open (one query, signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = set(user.memberships.values_list("role", flat=True))
    return {"is_director": Role.DIRECTOR in held, "is_therapist": Role.THERAPIST in held}
