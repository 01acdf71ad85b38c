"""Fetching a calendar from the read-only address a therapist gives: the server fetches it, carefully.

Whoever can make a server fetch an address can make it knock on doors behind its firewall (SSRF). So:
http and https only (webcal:// is read as https://), no user name or password in the address, the standard
ports, and only addresses on the public internet — every address the host name resolves to is checked,
and the connection goes to the address that was checked, so a second DNS answer cannot swap it. Each
redirect is checked the same way. The answer must come within a time limit and stay under a size limit,
and is never decompressed. A practice whose calendar server is on its own network sets
CALENDAR_FETCH_PRIVATE_ADDRESSES=1, which lifts the address and port rules (and nothing else).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext

from reciprocity.calendars.reading import MAX_BYTES

TIMEOUT_SECONDS = 10  # for connecting, and for each read
DEADLINE_SECONDS = 30  # for the whole answer, redirects included
MAX_REDIRECTS = 3
MAX_URL_LENGTH = 2000
PORTS = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(ValueError):
    """The calendar could not be fetched; the message says why, without echoing what the server sent."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    address: str  # the checked IP address the connection goes to
    url: str  # the address as fetched (webcal:// read as https://), for resolving a relative redirect


def fetch_calendar(url: str) -> bytes:
    """The body of the calendar at `url`, following at most three redirects, each checked anew."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        target = check_address(url)
        status, location, body = _get(target, deadline)
        if status in REDIRECTS and location:
            url = urljoin(target.url, location)
            continue
        if status in {401, 403}:
            raise FetchError(
                gettext("The calendar address asks for a password: give the calendar's secret (iCal) address.")
            )
        if status != 200:
            raise FetchError(
                gettext("The calendar address answered with status {status}, not with a calendar.").format(
                    status=status
                )
            )
        return body
    raise FetchError(gettext("The calendar address redirects too many times."))


def _allows_private() -> bool:
    return bool(getattr(settings, "CALENDAR_FETCH_PRIVATE_ADDRESSES", False))


def check_address(url: str) -> Target:
    """Where `url` may be fetched from, or a FetchError saying why it may not."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise FetchError(gettext("The address is too long."))
    parts = urlsplit(url)
    scheme = {"webcal": "https", "webcals": "https"}.get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in PORTS:
        raise FetchError(gettext("Give an address that starts with https:// (or http:// or webcal://)."))
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            gettext("The address holds a user name or password; give the calendar's secret (iCal) address.")
        )
    try:
        port = parts.port or PORTS[scheme]
    except ValueError:
        raise FetchError(gettext("The address names a port that is not a number from 1 to 65535.")) from None
    host = parts.hostname
    if not host:
        raise FetchError(gettext("The address names no server."))
    allows_private = _allows_private()
    if port not in PORTS.values() and not allows_private:
        raise FetchError(gettext("Calendars are fetched from the standard ports (80 and 443) only."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    address = _checked_address(host, port, allows_private)
    return Target(scheme, host, port, path, address, parts._replace(scheme=scheme).geturl())


def _checked_address(host: str, port: int, allows_private: bool) -> str:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(gettext("The server {host} could not be found.").format(host=host)) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise FetchError(gettext("The server {host} could not be found.").format(host=host))
    if not allows_private and not all(_is_public(a) for a in addresses):
        raise FetchError(
            gettext("The address points to a private or local network; Reciprocity fetches public ones only.")
        )
    return str(addresses[0])


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT_SECONDS)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address and verifies the certificate against the host name."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _get(target: Target, deadline: float) -> tuple[int, str, bytes]:
    """(status, Location header, body) of one GET; the body is read only for a 200."""
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target)
    headers = {"User-Agent": "Reciprocity calendar import", "Accept": "text/calendar", "Accept-Encoding": "identity"}
    try:
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location", ""), b""
        return 200, "", _read_limited(response, deadline)
    except TimeoutError:
        raise FetchError(
            gettext("The calendar's server did not answer within {seconds} seconds.").format(seconds=TIMEOUT_SECONDS)
        ) from None
    except ssl.SSLError:
        raise FetchError(gettext("The calendar's server has no valid certificate for a secure connection.")) from None
    except (OSError, http.client.HTTPException):
        raise FetchError(
            gettext("The calendar's server could not be reached, or did not answer as a web server.")
        ) from None
    finally:
        connection.close()


def _read_limited(response: http.client.HTTPResponse, deadline: float) -> bytes:
    if (response.getheader("Content-Encoding") or "identity").lower() != "identity":
        raise FetchError(gettext("The calendar's server sent the calendar compressed; it was not read."))
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(_too_large())
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(_too_large())
        if time.monotonic() > deadline:
            raise FetchError(
                gettext("The calendar took longer than {seconds} seconds to arrive.").format(seconds=DEADLINE_SECONDS)
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> str:
    return gettext("The calendar is larger than {mb} MB; export a shorter period.").format(mb=MAX_BYTES // 2**20)
