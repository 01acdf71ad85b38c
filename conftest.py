"""Personas shared by every test: Ana and Ben work at the North clinic, Cara at the South clinic.

Ben shares Ana's practice and still must never see her clients, sessions or reflections.
A domain client is never called bare `client`: that name is the Django test HTTP client.
"""

from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import Atomic

from reciprocity.practice.models import Practice
from tests.builders import make_ana, make_ana_reflection, make_ben, make_cara, make_client, make_session, sign_in

# Tests that start processes or servers take seconds to a minute each. Run first, they share the workers' first
# minutes; run last, one worker finishes them while the other waits. Their modules keep their own order, so a
# module's shared fixtures are still built once. The browser tests stay last: Playwright's synchronous API keeps
# an event loop running in the worker until the run ends, and Django refuses database calls under one.
SLOW_FIRST = (
    "reciprocity/vault/tests/",
    "tests/test_deploy.py",
    "tests/test_server.py",
    "tests/test_security_headers.py",
    "reciprocity/recall/tests/test_evaluation.py",
    "reciprocity/practice/tests/test_erasure.py",
    "reciprocity/demo/tests/",
    "reciprocity/voice/tests/test_transcribe.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow modules first, each in its own order; everything else after, as collected."""
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))


@pytest.fixture(autouse=True)
def _fast_hashing_and_plain_static(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _code_blocks(connection: BaseDatabaseWrapper) -> list[Atomic]:
    return [block for block in connection.atomic_blocks if not block._from_testcase]


def _run(callbacks: list[tuple[Any, Any, bool]]) -> None:
    for _, func, robust in callbacks:
        try:
            func()
        except Exception:
            if not robust:
                raise


@pytest.fixture(autouse=True, scope="session")
def _commits_run_their_on_commit_work():  # type: ignore[no-untyped-def]
    """Work queued with `transaction.on_commit` runs when the code under test commits, as in production.

    A test runs inside a transaction of its own that is rolled back, so Django would keep that work until
    the test ends and then drop it. Here the test's own blocks count as no transaction: work queued
    outside the code's atomic blocks runs at once (as under autocommit), and work queued inside runs when
    the code's outermost block ends without an error (work of a block that rolled back is dropped, as
    Django drops it). Tests with `transaction=True` have no blocks of their own and run Django unchanged.
    A world that a module's tests share is built in such a block too (tests.builders.world_rolled_back),
    which is why this holds for the whole session, from before any fixture builds data.
    """
    on_commit, exit_block = BaseDatabaseWrapper.on_commit, Atomic.__exit__

    def on_commit_here(self: BaseDatabaseWrapper, func: Any, robust: bool = False) -> None:
        if self.in_atomic_block and not _code_blocks(self):
            _run([(None, func, robust)])
        else:
            on_commit(self, func, robust)

    def exit_here(self: Atomic, *exc: Any) -> Any:
        result = exit_block(self, *exc)
        connection = connections[self.using or DEFAULT_DB_ALIAS]
        if connection.in_atomic_block and not _code_blocks(connection) and connection.run_on_commit:
            pending, connection.run_on_commit = connection.run_on_commit, []
            _run(pending)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_here)
        patch.setattr(Atomic, "__exit__", exit_here)
        yield


@pytest.fixture
def north(db):  # type: ignore[no-untyped-def]
    return Practice.objects.create(name="North clinic")


@pytest.fixture
def ana(north):  # type: ignore[no-untyped-def]
    return make_ana(north)


@pytest.fixture
def ben(north):  # type: ignore[no-untyped-def]
    return make_ben(north)


@pytest.fixture
def cara(db):  # type: ignore[no-untyped-def]
    return make_cara()


@pytest.fixture
def ana_client(ana):  # type: ignore[no-untyped-def]
    return make_client(ana, "N-0007")


@pytest.fixture
def ana_session(ana_client):  # type: ignore[no-untyped-def]
    return make_session(ana_client)


@pytest.fixture
def ana_reflection(ana_session):  # type: ignore[no-untyped-def]
    return make_ana_reflection(ana_session)


@pytest.fixture
def as_ana(client, ana):  # type: ignore[no-untyped-def]
    return sign_in(client, ana)
