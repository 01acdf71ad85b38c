"""Cookies as anyone who holds them can read them, for tests that check what leaves the server."""

import base64
import zlib

from django.http import HttpResponse


def messages_cookie_text(response: HttpResponse) -> str:
    """The flash messages a response sets, read without the secret key: Django signs this cookie but does not
    encrypt it, so whatever is in it can be read by anyone with the browser or a copy of its cookies."""
    payload = response.cookies["messages"].value.split(":")[0]
    data = base64.urlsafe_b64decode(payload.lstrip(".") + "==")
    return (zlib.decompress(data) if payload.startswith(".") else data).decode()
