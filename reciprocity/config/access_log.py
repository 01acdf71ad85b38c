"""The server's logs, without what an address carries that is nobody else's business: the query string
(search words, a list's filters), the page it came from (whose address has its own query string) and the
one-time tokens in a path (a client's questionnaire link, a password reset, an invitation, an unsubscribe
link), which are replaced by "…". That holds for the access log (`reciprocity serve --access-log`) and for
Django's own lines about requests ("Not Found: /q/…/", the development server's request lines). A log kept
by a hosting provider then holds which pages were asked for, when and how they were answered, and nothing a
therapist wrote or could be reached with."""

import logging
import re
from typing import Any

from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

SECRET_PARTS = frozenset({"token", "uidb64"})  # the names of the address parts that open something by themselves
HIDDEN = "…"


def private_path(path: str) -> str:
    """The path as logged: each secret part that the address's own pattern names replaced by "…". An address
    that resolves to no page (a token without its last slash, or with more after it) is read by its longest
    leading part that does: its secret parts are the same."""
    parts = path.strip("/").split("/")
    for end in range(len(parts), 0, -1):
        try:
            match = resolve("/" + "/".join(parts[:end]) + "/")
        except Resolver404:
            continue
        secrets = {str(match.kwargs[name]) for name in SECRET_PARTS & match.kwargs.keys()}
        return "/".join(HIDDEN if part in secrets else part for part in path.split("/"))
    return path


class PrivateAccessLog(Logger):
    """gunicorn's logger, whose access lines are built from `private_path` and carry no query or referrer."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = private_path(environ.get("PATH_INFO") or "/")
        atoms |= {
            "r": f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
            "U": path,
            "q": "",
            "f": "-",
            "{referer}i": "-",
        }
        return atoms


REQUEST_LINE = re.compile(r"^([A-Z]+) (\S+) (HTTP/[0-9.]+)$")


def private_value(value: object) -> object:
    """A log line's argument as logged: a path, or a request line, without its query and secret parts."""
    if not isinstance(value, str):
        return value
    if value.startswith("/"):
        return private_path(value.split("?", 1)[0])
    if line := REQUEST_LINE.match(value):
        method, address, protocol = line.groups()
        return f"{method} {private_path(address.split('?', 1)[0])} {protocol}"
    return value


class PrivatePaths(logging.Filter):
    """Rewrites the paths and request lines in Django's request records (django.request, django.security,
    django.server) before any handler writes them."""

    LOGGERS = ("django.request", "django.security", "django.server")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.LOGGERS) and isinstance(record.args, tuple):
            record.args = tuple(private_value(arg) for arg in record.args)
        return True
