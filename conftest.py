"""Personas shared by every test: Ana and Ben work at the North clinic, Cara at the South clinic.

Ben shares Ana's practice and still must never see her clients, sessions or reflections.
A domain client is never called bare `client`: that name is the Django test HTTP client.
"""

import pytest

from reciprocity.practice.models import Practice
from tests.builders import make_client, make_reflection, make_session, make_user, sign_in


@pytest.fixture(autouse=True)
def _fast_hashing_and_plain_static(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def north(db):  # type: ignore[no-untyped-def]
    return Practice.objects.create(name="North clinic")


@pytest.fixture
def ana(north):  # type: ignore[no-untyped-def]
    return make_user("ana", practice=north, full_name="Ana Alves", time_zone="Europe/Lisbon")


@pytest.fixture
def ben(north):  # type: ignore[no-untyped-def]
    return make_user("ben", practice=north, full_name="Ben Brooks")


@pytest.fixture
def cara(db):  # type: ignore[no-untyped-def]
    return make_user("cara", practice=Practice.objects.create(name="South clinic"), full_name="Cara Chen")


@pytest.fixture
def ana_client(ana):  # type: ignore[no-untyped-def]
    return make_client(ana, "N-0007")


@pytest.fixture
def ana_session(ana_client):  # type: ignore[no-untyped-def]
    return make_session(ana_client)


@pytest.fixture
def ana_reflection(ana_session):  # type: ignore[no-untyped-def]
    return make_reflection(ana_session, gave_me="Patience with my sister.", carry_home="Pause before answering.")


@pytest.fixture
def as_ana(client, ana):  # type: ignore[no-untyped-def]
    return sign_in(client, ana)
