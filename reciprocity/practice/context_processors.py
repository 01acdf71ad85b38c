from importlib.metadata import version

from django.http import HttpRequest
from django.urls import get_script_prefix

from reciprocity.practice.models import Role

RELEASE = version("reciprocity")


def roles(request: HttpRequest) -> dict[str, bool | str]:
    """Which parts of the navigation this person's roles open (one query, signed-in users only), and what the
    remembered navigation depends on besides them: the release (its words) and where the site is mounted."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = set(user.memberships.values_list("role", flat=True))
    return {
        "is_director": Role.DIRECTOR in held,
        "is_therapist": Role.THERAPIST in held,
        "nav_version": f"{RELEASE}:{get_script_prefix()}",
    }
