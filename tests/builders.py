"""Builders with sensible defaults: `make_session(**overrides)` and friends, for tests only."""

import contextlib
import datetime
import itertools
import time
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import Client as DjangoTestClient
from django.utils import timezone

from reciprocity.clients.models import Client
from reciprocity.practice import twofactor
from reciprocity.practice.middleware import LAST_SEEN
from reciprocity.practice.models import Practice, Role, User
from reciprocity.practice.services import create_user
from reciprocity.recall import vectors
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Occasion, Reflection, Session

PASSWORD = "correct horse battery staple"
_codes = itertools.count(100)


def make_user(username: str, *, practice: Practice | None = None, role: str = Role.THERAPIST, **kwargs: Any) -> User:
    return create_user(
        username=username, password=PASSWORD, role=role, practice=practice, check_password=False, **kwargs
    )


def sign_in(client: DjangoTestClient, user: User) -> DjangoTestClient:
    """Sign `user` in on the test client as if they had passed the password and two-factor code steps.

    `client.force_login` alone leaves the session without the two-factor mark, so a supervisor or director
    of a shared practice would be sent to set up two-factor sign-in. Tests of the sign-in itself go
    through the real pages instead (reciprocity/practice/tests/test_two_factor.py).
    """
    client.force_login(user)
    session = client.session
    session[twofactor.VERIFIED] = True
    session[LAST_SEEN] = int(time.time())
    session.save()
    return client


def make_client(therapist: User, code: str | None = None, **fields: Any) -> Client:
    fields.setdefault("started_on", datetime.date(2026, 1, 5))
    return Client.objects.create(therapist=therapist, code=code or f"T-{next(_codes):04d}", **fields)


def make_session(client: Client, *, starts_at: datetime.datetime | None = None, **fields: Any) -> Session:
    techniques = fields.pop("techniques", [])
    fields.setdefault("emotional_load", 5)
    session = Session.objects.create(
        client=client, starts_at=starts_at or timezone.now() - datetime.timedelta(hours=2), **fields
    )
    session.techniques.set(techniques)
    return session


def make_reflection(
    session: Session | None = None,
    *,
    author: User | None = None,
    ratings: dict[str, int] | None = None,
    **fields: Any,
) -> Reflection:
    values = dict.fromkeys(KEYS, 2) | (ratings or {})
    if session is not None:
        fields |= {"session": session, "occasion": Occasion.SESSION, "occurred_at": session.starts_at}
        author = session.client.therapist
    else:
        fields.setdefault("occasion", Occasion.SUPERVISION)
    reflection = Reflection(author=author, **fields)
    reflection.set_ratings(values)
    reflection.save()
    return reflection


def ratings_post(value: int = 3, **overrides: Any) -> dict[str, Any]:
    """Form data for the seven ratings."""
    return {key: overrides.get(key, value) for key in KEYS}


@contextlib.contextmanager
def world_rolled_back() -> Iterator[None]:
    """A transaction for data that a module's tests share, rolled back after them.

    Like a test's own transaction it is no transaction of the code under test: work the code queues with
    `transaction.on_commit` runs when the code's own blocks end (see conftest.py), as it would after a commit.
    """
    block = transaction.atomic()
    block._from_testcase = True  # what Django's TestCase marks its own transactions with
    with block:
        yield
        transaction.set_rollback(True)
    # The rollback takes the world's search documents and index generations away, and ids are used again:
    # no matrix cached from them may be taken for a later test's therapist with the same id.
    vectors.clear()


# The personas of conftest.py, for fixtures that build them once for a module (a world) as well.
def make_ana(north: Practice) -> User:
    return make_user("ana", practice=north, full_name="Ana Alves", time_zone="Europe/Lisbon")


def make_ben(north: Practice) -> User:
    return make_user("ben", practice=north, full_name="Ben Brooks")


def make_cara() -> User:
    return make_user("cara", practice=Practice.objects.create(name="South clinic"), full_name="Cara Chen")


def make_ana_reflection(session: Session) -> Reflection:
    """Ana's reflection on a session of hers, with private words of hers."""
    return make_reflection(session, gave_me="Patience with my sister.", carry_home="Pause before answering.")
