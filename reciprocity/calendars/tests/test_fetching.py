"""The calendar's address is fetched by the server, so the server must not be turned against its own network.

The real fetches go to a small HTTP server on this machine, in a thread: loopback, so they need the
setting that allows private addresses; without it, the same address is refused before any request leaves.
"""

import http.server
import threading
import time

import pytest

from reciprocity.calendars import fetching
from reciprocity.calendars.fetching import FetchError, check_address, fetch_calendar
from reciprocity.calendars.tests.calendars import PRACTICE_ICS, TITLES, WINDOW
from reciprocity.calendars.tests.pages import rows
from reciprocity.therapy.models import Session


class CalendarServer(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path == "/practice.ics":
            self._send(200, PRACTICE_ICS, "text/calendar")
        elif self.path == "/moved":
            self._send(302, b"", location="/practice.ics")
        elif self.path == "/inside":
            self._send(302, b"", location="http://10.0.0.8/cal.ics")
        elif self.path == "/round":
            self._send(302, b"", location="/round")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, PRACTICE_ICS)
        elif self.path == "/private":
            self._send(401, b"")
        else:
            self._send(404, b"not here")

    def _send(self, status: int, body: bytes, kind: str = "text/plain", location: str = "") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body)
        except ConnectionError:
            pass  # the fetch gave up waiting (the slow answer's test) and closed the connection first

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CalendarServer)
    CalendarServer.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def private_allowed(settings):  # type: ignore[no-untyped-def]
    settings.CALENDAR_FETCH_PRIVATE_ADDRESSES = True


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "starts with https://"),
        ("ftp://calendar.example.org/cal.ics", "starts with https://"),
        ("gopher://calendar.example.org/", "starts with https://"),
        ("javascript:alert(1)", "starts with https://"),
        ("//calendar.example.org/cal.ics", "starts with https://"),
        ("https://ana:secret@calendar.example.org/cal.ics", "user name or password"),
        ("https://calendar.example.org:8443/cal.ics", "standard ports"),
        ("https://calendar.example.org:99999/cal.ics", "not a number from 1 to 65535"),
        ("http://127.0.0.1/cal.ics", "private or local network"),
        ("http://localhost/cal.ics", "private or local network"),
        ("http://10.0.0.8/cal.ics", "private or local network"),
        ("http://192.168.1.20/cal.ics", "private or local network"),
        ("http://169.254.169.254/latest/meta-data/", "private or local network"),
        ("http://0.0.0.0/cal.ics", "private or local network"),
        ("http://[::1]/cal.ics", "private or local network"),
        ("http://[::ffff:127.0.0.1]/cal.ics", "private or local network"),
        ("http://2130706433/cal.ics", "private or local network"),  # 127.0.0.1 written as one number
    ],
)
def test_an_address_the_server_must_not_fetch_is_refused_on_the_page(as_ana, url, message):
    response = as_ana.post("/calendar/", {"url": url, **WINDOW})
    assert response.status_code == 422 and message in response.content.decode()
    assert not Session.objects.exists()


def test_a_loopback_address_is_refused_before_any_request_leaves(as_ana, server):
    response = as_ana.post("/calendar/", {"url": f"{server}/practice.ics", **WINDOW})
    page = response.content.decode()
    assert response.status_code == 422 and ("private or local network" in page or "standard ports" in page)
    assert CalendarServer.requests == []


@pytest.mark.engine_independent
def test_a_public_address_is_pinned_to_the_address_checked_and_webcal_is_https():
    target = check_address("webcal://93.184.216.34/calendars/ana.ics?token=abc")
    assert (target.scheme, target.port, target.path, target.address) == ("https", 443, "/calendars/ana.ics?token=abc",
                                                                          "93.184.216.34")  # fmt: skip
    assert target.url == "https://93.184.216.34/calendars/ana.ics?token=abc"


def test_the_server_fetches_the_calendar_when_private_addresses_are_allowed(as_ana, server, private_allowed):
    response = as_ana.post("/calendar/", {"url": f"{server}/practice.ics", **WINDOW})
    assert response.status_code == 200 and set(rows(response.content.decode())) == set(TITLES)
    assert CalendarServer.requests == ["/practice.ics"]


@pytest.mark.engine_independent
def test_a_redirect_is_followed_and_checked_again(server, private_allowed):
    assert fetch_calendar(f"{server}/moved") == PRACTICE_ICS
    assert CalendarServer.requests == ["/moved", "/practice.ics"]


@pytest.mark.engine_independent
def test_a_redirect_to_a_private_address_is_refused(server, private_allowed, monkeypatch):
    checked = []

    def allowed_once() -> bool:  # the first server is "public"; the address it redirects to is not
        checked.append(True)
        return len(checked) == 1

    monkeypatch.setattr(fetching, "_allows_private", allowed_once)
    with pytest.raises(FetchError, match="private or local network"):
        fetch_calendar(f"{server}/inside")
    assert CalendarServer.requests == ["/inside"]


@pytest.mark.engine_independent
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/round", "redirects too many times"),
        ("/missing", "answered with status 404"),
        ("/private", "asks for a password"),
    ],
)
def test_an_answer_that_is_not_a_calendar_is_explained(server, private_allowed, path, message):
    with pytest.raises(FetchError, match=message):
        fetch_calendar(f"{server}{path}")


@pytest.mark.engine_independent
def test_a_calendar_past_the_size_limit_is_refused(server, private_allowed, monkeypatch):
    monkeypatch.setattr(fetching, "MAX_BYTES", 1000)
    with pytest.raises(FetchError, match="larger than"):
        fetch_calendar(f"{server}/practice.ics")


@pytest.mark.engine_independent
def test_a_server_that_does_not_answer_in_time_is_given_up(server, private_allowed, monkeypatch):
    monkeypatch.setattr(fetching, "TIMEOUT_SECONDS", 0.3)
    with pytest.raises(FetchError, match="did not answer within"):
        fetch_calendar(f"{server}/slow")


@pytest.mark.engine_independent
def test_a_server_that_is_not_there_is_explained(private_allowed):
    with pytest.raises(FetchError, match="could not be reached"):
        fetch_calendar("http://127.0.0.1:9/cal.ics")  # the discard port: nothing listens
