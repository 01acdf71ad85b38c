"""What the URL sweeps share: walking the URL configuration, filling in a route, and one therapist's world.

tests/test_isolation.py (owner against other therapists) and tests/test_authorization.py (every role)
both fill each URL from the objects `owned_objects` makes for one therapist.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from reciprocity.development.models import Goal, Support
from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.peers import services as peers
from reciprocity.practice.models import Practice, Role
from reciprocity.repertoire.services import add_item, log_trial
from reciprocity.sharing import services as sharing
from reciprocity.therapy.models import Reflection
from tests.builders import make_user

SECRET_TEXT = "Patience with my sister."


def patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(name, route, converters) of every named URL, names with their namespaces ("sharing:share")."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.pattern.converters


def unnamed_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Routes without a name, which no sweep by name can reach."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from unnamed_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and not entry.name:
            yield prefix + str(entry.pattern)


def fill(route: str, values: dict[str, Any]) -> str:
    for key, value in values.items():
        for converter in ("int", "code", "slug", "str", "fmt", "path"):
            route = route.replace(f"<{converter}:{key}>", str(value))
    return "/" + route


def owned_objects(reflection: Reflection, secret: str = SECRET_TEXT) -> dict[str, Any]:
    """Something of every kind a URL can name, all belonging to the author of `reflection`.

    Kim supervises them and has one reflection shared; Lee and Max share a peer group with them;
    Nia is a colleague in none of it.
    """
    client = reflection.session.client
    owner = client.therapist
    administration = record_administration(
        therapist=owner, instrument=registry.get("phq9"), answers=dict.fromkeys(map(str, range(1, 10)), 1),
        client=client,
    )  # fmt: skip
    item = add_item(owner=owner, title="Pause first", description=secret, reflection=reflection)
    trial = log_trial(item, by=owner, tried_on=datetime.date(2026, 3, 1), situation="A hard call.", helped=4)
    north = Practice.objects.get(memberships__user=owner)
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR)
    group = peers.create_group(owner, "Peers", [make_user("lee", practice=north), make_user("max", practice=north)])
    supervision = sharing.accept(sharing.invite(owner, kim), kim)
    share = sharing.share_reflection(supervision, reflection, by=owner, text="Patience, shared.")
    return {"client": client, "session": reflection.session, "reflection": reflection,
            "administration": administration, "item": item, "trial": trial, "supervision": supervision,
            "share": share, "invitation": sharing.invite(kim, owner), "kim": kim,
            "goal": Goal.objects.create(owner=owner, title="Finish EMDR"),
            "group": group, "post": peers.post(group, by=owner, text="A stuck case."),
            "newcomer": make_user("nia", practice=north),
            "support": Support.objects.create(owner=owner, kind="therapy", day=datetime.date(2026, 3, 1),
                                              note=secret)}  # fmt: skip


# How to fill each parameter of an API path with the owner's objects.
API_PARAMETERS = {
    "code": lambda o: o["client"].code,
    "session_id": lambda o: o["session"].pk,
    "reflection_id": lambda o: o["reflection"].pk,
    "response_id": lambda o: o["administration"].pk,
    "item_id": lambda o: o["item"].pk,
}


def fill_api(path: str, objects: dict[str, Any]) -> str:
    for key, value in API_PARAMETERS.items():
        path = path.replace("{" + key + "}", str(value(objects)))
    assert "{" not in path, f"{path}: say how to fill its parameters in API_PARAMETERS of tests/sweep.py"
    return path


def post_data(objects: dict[str, Any]) -> dict[str, Any]:
    """One form body that every POST endpoint understands enough to act on."""
    return {"code": "X-0001", "started_on": "2026-01-01", "empathy": 0, "starts_at": "2026-01-01T10:00",
            "tried_on": "2026-01-02", "situation": "A try.", "helped": 3, "kind": "flywheel", "on": "1",
            "text": "A comment.", "held_on": "2026-01-03", "notes": "Met.", "progress": 55,
            "user": objects["newcomer"].pk, "instrument": "phq9"}  # fmt: skip


def text_of(response: HttpResponse) -> str:
    """Everything a response says, the files of a zip included."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    return content.decode(errors="replace")
