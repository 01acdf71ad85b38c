"""What a digest says: counts and links, never a client code nor a word anyone wrote.

The counts come from the same selectors and services that draw Today and the supervision pages, so an
e-mail can never disagree with what the person finds when they follow its link. The wording is ours
alone; nothing a person typed (a reflection, a comment, a client's code, even their own name) is read
into a message.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext_lazy

from reciprocity.checkins.selectors import due_checkins
from reciprocity.insights.services import open_alerts, therapist_flywheel
from reciprocity.lib.languages import language_for
from reciprocity.practice.models import User
from reciprocity.reminders.models import Digest, Kind
from reciprocity.sharing.selectors import news_for_supervisor
from reciprocity.therapy.selectors import today_overview

UNSUBSCRIBE_SALT = "reciprocity.reminders.unsubscribe"


@dataclass(frozen=True)
class Line:
    """One line of a digest: a count, what it counts (a lazy plural, "%(n)s …"), and the page that shows them."""

    key: str
    count: int
    phrase: Any
    url_name: str

    @property
    def text(self) -> str:
        """The line in the language active now, e.g. "2 sessions still without a reflection"."""
        return self.phrase % {"n": self.count}


UNREFLECTED = ngettext_lazy(
    "%(n)s session still without a reflection", "%(n)s sessions still without a reflection", "n"
)
CHECKINS_DUE = ngettext_lazy("%(n)s check-in due", "%(n)s check-ins due", "n")
OWN_ALERTS = ngettext_lazy(
    "%(n)s alert about your own well-being open", "%(n)s alerts about your own well-being open", "n"
)
CLIENTS_OFF_TRACK = ngettext_lazy("%(n)s client not on track", "%(n)s clients not on track", "n")
SHARES = ngettext_lazy("%(n)s item newly shared with you", "%(n)s items newly shared with you", "n")
COMMENTS = ngettext_lazy(
    "%(n)s new comment on what is shared with you", "%(n)s new comments on what is shared with you", "n"
)


def daily_lines(person: User, now: datetime.datetime) -> list[Line]:
    """The therapist's day as Today shows it: sessions to reflect on, check-ins due, open alerts."""
    alerts = open_alerts(person, therapist_flywheel(person, now=now, analyse=False))
    return [
        Line("unreflected", today_overview(person, now=now).unreflected_count, UNREFLECTED, "today:today"),
        Line("checkins_due", len(due_checkins(person, now=now)), CHECKINS_DUE, "checkins:index"),
        Line("alerts", sum(not a.is_about_a_client for a in alerts), OWN_ALERTS, "today:today"),
        Line("clients_off_track", sum(a.is_about_a_client for a in alerts), CLIENTS_OFF_TRACK, "today:today"),
    ]  # fmt: skip


def supervision_lines(person: User, since: datetime.datetime, until: datetime.datetime) -> list[Line]:
    """What arrived for a supervisor in [since, until): new shares, and comments by others on them."""
    news = news_for_supervisor(person, since, until)
    return [
        Line("shares", news.shares, SHARES, "sharing:index"),
        Line("comments", news.comments, COMMENTS, "sharing:index"),
    ]  # fmt: skip


def lines_for(digest: Digest, now: datetime.datetime) -> list[Line]:
    if digest.kind == Kind.DAILY:
        return daily_lines(digest.user, now)
    assert digest.covers_from is not None and digest.covers_until is not None
    return supervision_lines(digest.user, digest.covers_from, digest.covers_until)


def absolute(path: str) -> str:
    """A link on this server, for an e-mail: the path under the SITE_URL setting."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def unsubscribe_token(person: User, kind: str) -> str:
    """A signed key that turns off one kind of digest for one person, with no sign-in (it never expires)."""
    return signing.dumps({"person": person.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person's id and the kind of digest a token names; signing.BadSignature when it was not ours."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(value, dict) or not isinstance(value.get("person"), int) or value.get("kind") not in Kind.values:
        raise signing.BadSignature("not an unsubscribe token")
    return value["person"], value["kind"]


def message(digest: Digest, lines: list[Line]) -> EmailMultiAlternatives:
    """The e-mail for a digest, in the person's own language, with one-click unsubscribe headers (RFC 2369
    and RFC 8058). No browser asks here, so the language is the one chosen in their settings, else English."""
    with translation.override(language_for(digest.user)):
        return _message(digest, lines)


def _message(digest: Digest, lines: list[Line]) -> EmailMultiAlternatives:
    unsubscribe = absolute(reverse("reminders:unsubscribe", args=[unsubscribe_token(digest.user, digest.kind)]))
    context = {
        "digest": digest,
        "lines": [(line, absolute(reverse(line.url_name))) for line in lines if line.count],
        "settings_url": absolute(reverse("practice:settings") + "#reminders"),
        "unsubscribe_url": unsubscribe,
    }
    subject = " ".join(render_to_string(f"reminders/email/{digest.kind}_subject.txt", context).split())
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"reminders/email/{digest.kind}.txt", context),
        to=[digest.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies to a digest
        },
    )
    email.attach_alternative(render_to_string(f"reminders/email/{digest.kind}.html", context), "text/html")
    return email
