"""The navigation: five destinations in the phone's bottom bar, every other one a tap further on More, and the
same grouped list as the desktop sidebar, so any page is at most two taps away.

At which widths each navigation shows is the browser's business: tests/browser/test_navigation.py.
"""

from html.parser import HTMLParser

import pytest
from django.urls import resolve, reverse

from reciprocity.practice.models import Role
from tests.builders import make_user, sign_in

pytestmark = pytest.mark.django_db

BOTTOM_BAR = [
    ("Today", "today:today"),
    ("Reflect", "therapy:reflection-create"),
    ("Search", "recall:index"),
    ("Flywheel", "insights:flywheel"),
    ("More", "today:more"),
]


class _Navs(HTMLParser):
    """Each <nav>'s links as (href, text, is current) and its buttons' texts, by the nav's aria-label."""

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, list[tuple[str, str, bool]]] = {}
        self.buttons: dict[str, list[str]] = {}
        self._nav: str | None = None
        self._open: tuple[str, bool] | None = None  # the link or button being read: its href ("" for a button)
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav":
            self._nav = attributes["aria-label"] or ""
            self.links.setdefault(self._nav, [])
            self.buttons.setdefault(self._nav, [])
        elif self._nav is not None and tag in ("a", "button"):
            self._open = (attributes.get("href") or "", attributes.get("aria-current") == "page")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav = None
        elif self._open is not None and self._nav is not None and tag in ("a", "button"):
            text = " ".join("".join(self._text).split())
            if tag == "a":
                self.links[self._nav].append((self._open[0], text, self._open[1]))
            else:
                self.buttons[self._nav].append(text)
            self._open = None


def navs_of(client, path: str) -> _Navs:
    response = client.get(path)
    assert response.status_code == 200
    parser = _Navs()
    parser.feed(response.content.decode())
    return parser


def destinations(navs: _Navs, label: str) -> list[tuple[str, str]]:
    return [(href, text) for href, text, _current in navs.links[label]]


def test_the_bottom_bar_holds_five_destinations_for_the_thumb(as_ana):
    navs = navs_of(as_ana, "/")
    assert destinations(navs, "Primary") == [(reverse(name), text) for text, name in BOTTOM_BAR]


def test_the_more_page_lists_every_destination_of_the_sidebar(as_ana):
    sidebar = navs_of(as_ana, "/")
    more = navs_of(as_ana, reverse("today:more"))
    assert destinations(more, "All pages") == destinations(sidebar, "Main")
    assert more.buttons["All pages"] == sidebar.buttons["Main"] == ["Sign out"]
    # the desktop loses nothing the phone has: every bottom-bar destination but More is in the sidebar too
    in_sidebar = {href for href, _text in destinations(sidebar, "Main")}
    assert {reverse(name) for _text, name in BOTTOM_BAR if name != "today:more"} <= in_sidebar
    # and every destination is in the old navigation's list, with peer groups and a new reflection added
    assert [text for _href, text in destinations(sidebar, "Main")] == [
        "Today", "Sessions", "Clients", "New reflection", "Reflections", "Repertoire", "Search",
        "Check-ins", "Development", "Dashboard", "Flywheel", "Reports",
        "Supervision", "Peer groups",
        "Settings",
    ]  # fmt: skip


def test_every_sidebar_destination_opens_for_a_therapist(as_ana):
    for href, text in destinations(navs_of(as_ana, "/"), "Main"):
        resolve(href)
        assert as_ana.get(href).status_code == 200, f"{text} ({href})"


def test_the_current_page_is_marked_in_both_navigations(as_ana):
    navs = navs_of(as_ana, reverse("recall:index"))
    assert [href for href, _text, current in navs.links["Primary"] if current] == [reverse("recall:index")]
    assert [href for href, _text, current in navs.links["Main"] if current] == [reverse("recall:index")]
    more = navs_of(as_ana, reverse("today:more"))
    assert [href for href, _text, current in more.links["Primary"] if current] == [reverse("today:more")]


def test_only_a_director_sees_the_practice(client, as_ana, north):
    practice = reverse("insights:practice")
    for path in ("/", reverse("today:more")):
        assert practice not in {href for href, _text in destinations(navs_of(as_ana, path), "Main")}
    as_ana.logout()

    dora = sign_in(client, make_user("dora", practice=north, role=Role.DIRECTOR))
    sidebar = destinations(navs_of(dora, "/"), "Main")
    assert (practice, "Practice") in sidebar
    assert (practice, "Practice") in destinations(navs_of(dora, reverse("today:more")), "All pages")
    assert dora.get(practice).status_code == 200


def test_signed_out_pages_have_no_navigation(client):
    navs = navs_of(client, reverse("practice:login"))
    assert navs.links == {}


def test_the_remembered_navigation_follows_the_role_the_language_and_the_page(client, as_ana, north):
    """The links are rendered once per language, page and role and remembered; nothing of one person's leaks."""
    from django.test import Client

    practice = reverse("insights:practice")
    dora = sign_in(Client(), make_user("dora", practice=north, role=Role.DIRECTOR))
    assert (practice, "Practice") in destinations(navs_of(dora, "/"), "Main")
    assert practice not in {href for href, _text in destinations(navs_of(as_ana, "/"), "Main")}

    in_spanish = as_ana.get("/", headers={"accept-language": "es"}).content.decode()
    assert ">Hoy</a>" in in_spanish and "Cerrar sesión" in in_spanish
    assert "Sign out" in as_ana.get("/").content.decode()

    for path in ("/", reverse("recall:index")):
        navs = navs_of(as_ana, path)
        assert [href for href, _text, current in navs.links["Main"] if current] == [path]

    def sign_out_token(browser) -> str:  # type: ignore[no-untyped-def]
        html = browser.get("/").content.decode()
        form = html[html.index("data-sign-out>") :]
        return form[form.index('value="') + 7 : form.index('">')]

    assert sign_out_token(as_ana) != sign_out_token(dora)
