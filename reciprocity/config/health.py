"""`GET /healthz`: 200 only when the database answers, every migration is applied and the keys open the
database's key check; 503 naming the checks that fail otherwise. Nothing else is in the answer.

It is the first middleware, so a probe from inside the container or the host (any Host header, plain HTTP)
is answered before the host check, the HTTPS redirect and the sign-in; the reason for a failure goes to
the server's log, never to the probe.
"""

import json
import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

from reciprocity.lib.migrations import unapplied
from reciprocity.vault.canary import KeysMismatch, verify

PATH = "/healthz"
log = logging.getLogger("reciprocity.health")


def failing_checks() -> list[str]:
    """The names of the checks that fail now: "database", "migrations", "keys"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        log.warning("health: the database does not answer: %s", error)
        return ["database"]
    try:
        missing = unapplied()
    except DatabaseError as error:
        log.warning("health: the applied migrations cannot be read: %s", error)
        return ["migrations"]
    failing = []
    if missing:
        log.warning("health: %d migrations are not applied; run `reciprocity upgrade`", len(missing))
        failing.append("migrations")
    try:
        verify(create=False)
    except KeysMismatch as error:
        log.warning("health: %s", error)
        failing.append("keys")
    except DatabaseError as error:
        log.warning("health: the key check cannot be read: %s", error)
        failing.append("keys")
    return failing


def _answer(failing: list[str]) -> HttpResponse:
    body = {"status": "failing", "failing": failing} if failing else {"status": "ok"}
    response = HttpResponse(json.dumps(body), status=503 if failing else 200, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def answer(request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH:
            return get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        return _answer(failing_checks())

    return answer
