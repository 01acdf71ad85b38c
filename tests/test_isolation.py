"""A therapist sees and changes only their own data: every URL, not a sample.

The sweep walks the whole URL configuration. A new URL that takes an object id or code must be
added to OWNED below, or `test_every_object_url_is_in_the_sweep` fails.
"""

import pytest
from django.test import override_settings

from reciprocity.clients.models import Client
from reciprocity.development.models import Goal, Support
from reciprocity.measures.models import Administration, ClientLink
from reciprocity.peers.models import Member, Post, Reply
from reciprocity.practice.models import Practice
from reciprocity.repertoire.models import Item, Trial
from reciprocity.sharing.models import Comment, Meeting, Share, Supervision
from reciprocity.therapy.models import Reflection, Session
from tests.builders import (
    make_ana,
    make_ana_reflection,
    make_ben,
    make_cara,
    make_client,
    make_session,
    world_rolled_back,
)
from tests.sweep import SECRET_TEXT, fill, owned_objects, patterns, post_data, text_of

OWNED = {
    "measures:client": lambda o: {"code": o["client"].code},
    "measures:choose-instrument": lambda o: {"code": o["client"].code},
    "measures:administration-create": lambda o: {"code": o["client"].code, "instrument_id": "phq9"},
    "measures:link-create": lambda o: {"code": o["client"].code},
    "measures:fhir-import": lambda o: {"code": o["client"].code},
    "measures:administration-detail": lambda o: {"pk": o["administration"].pk},
    "measures:administration-acknowledge": lambda o: {"pk": o["administration"].pk},
    "measures:administration-fhir": lambda o: {"pk": o["administration"].pk},
    "clients:detail": lambda o: {"code": o["client"].code},
    "clients:edit": lambda o: {"code": o["client"].code},
    "therapy:session-detail": lambda o: {"pk": o["session"].pk},
    "therapy:session-edit": lambda o: {"pk": o["session"].pk},
    "therapy:session-delete": lambda o: {"pk": o["session"].pk},
    "therapy:reflection-detail": lambda o: {"pk": o["reflection"].pk},
    "therapy:reflection-edit": lambda o: {"pk": o["reflection"].pk},
    "therapy:reflection-delete": lambda o: {"pk": o["reflection"].pk},
    "repertoire:detail": lambda o: {"pk": o["item"].pk},
    "repertoire:edit": lambda o: {"pk": o["item"].pk},
    "repertoire:delete": lambda o: {"pk": o["item"].pk},
    "repertoire:trial-create": lambda o: {"pk": o["item"].pk},
    "repertoire:trial-delete": lambda o: {"pk": o["trial"].pk},
    "sharing:supervision": lambda o: {"pk": o["supervision"].pk},
    "sharing:accept": lambda o: {"pk": o["invitation"].pk},
    "sharing:end": lambda o: {"pk": o["supervision"].pk},
    "sharing:consent": lambda o: {"pk": o["supervision"].pk},
    "sharing:meeting-create": lambda o: {"pk": o["supervision"].pk},
    "sharing:share": lambda o: {"pk": o["share"].pk},
    "sharing:share-comment": lambda o: {"pk": o["share"].pk},
    "sharing:share-revoke": lambda o: {"pk": o["share"].pk},
    "sharing:share-reflection": lambda o: {"pk": o["reflection"].pk},
    "development:goal-progress": lambda o: {"pk": o["goal"].pk},
    "development:delete": lambda o: {"kind": "support", "pk": o["support"].pk},
    "peers:group": lambda o: {"pk": o["group"].pk},
    "peers:reply": lambda o: {"pk": o["group"].pk, "post_pk": o["post"].pk},
    "peers:add-member": lambda o: {"pk": o["group"].pk},
    "peers:leave": lambda o: {"pk": o["group"].pk},
    "reports:packet": lambda o: {"pk": o["supervision"].pk, "fmt": "html"},
    "reports:client": lambda o: {"code": o["client"].code, "fmt": "html"},
}
# URLs with parameters that name nothing anyone owns: questionnaires (the same for everyone) and the
# client's one-time link, whose token is the only key.
NOT_OWNED = {
    "measures:instrument-detail": {"instrument_id": "phq9"},
    "measures:instrument-fhir": {"instrument_id": "phq9"},
    "checkins:create": {"instrument_id": "who5"},
    "client-link": {"token": "no-such-token"},
    "exports:table": {"name": "sessions", "kind": "csv"},
    "sharing:join": {"token": "no-such-token"},
    "reminders:unsubscribe": {"token": "no-such-token"},  # the signed token in a digest is the key
    "reports:monthly": {"fmt": "html"},  # always the signed-in person's own
    "reports:caseload": {"fmt": "html"},  # always the signed-in person's own clients
    "practice:password-reset-confirm": {"uidb64": "MQ", "token": "no-such-token"},  # the e-mailed token is the key
}
POST_ONLY = {
    "measures:link-create", "measures:administration-acknowledge", "repertoire:trial-create", "repertoire:trial-delete",
    "sharing:accept", "sharing:end", "sharing:consent", "sharing:share-comment", "sharing:share-revoke",
    "development:goal-progress", "development:delete", "peers:reply", "peers:add-member", "peers:leave",
}  # fmt: skip
# Open to signed-out visitors: signing in and resetting a forgotten password.
SIGN_IN_PAGES = {
    "practice:login", "practice:password-reset", "practice:password-reset-done", "practice:password-reset-confirm",
    "practice:password-reset-complete",
}  # fmt: skip

# What installs the app and opens offline (docs/offline.md): public, and the same for everyone.
OFFLINE_SHELL = {"offline:manifest", "offline:service-worker", "offline:offline-page"}


# The API has its own sweep over its OpenAPI schema (tests/test_api.py).
OUR_PATTERNS = [(name, route, conv) for name, route, conv in patterns() if not name.startswith(("admin:", "api:"))]


def test_every_object_url_is_in_the_sweep():
    with_params = {name for name, _, converters in OUR_PATTERNS if converters}
    assert with_params == set(OWNED) | set(NOT_OWNED), "add the new URL to OWNED so its isolation is tested"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Ana's objects of every kind and the two outsiders, built once for the module (the personas of
    conftest.py); every test runs in a transaction of its own, rolled back after it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), world_rolled_back():
        north = Practice.objects.create(name="North clinic")
        ana, ben, cara = make_ana(north), make_ben(north), make_cara()
        reflection = make_ana_reflection(make_session(make_client(ana, "N-0007")))
        yield {"ana": ana, "ben": ben, "cara": cara, "objects": owned_objects(reflection)}


@pytest.fixture
def ana(world, db):  # type: ignore[no-untyped-def]
    return world["ana"]


@pytest.fixture
def ben(world, db):  # type: ignore[no-untyped-def]
    return world["ben"]


@pytest.fixture
def cara(world, db):  # type: ignore[no-untyped-def]
    return world["cara"]


@pytest.fixture
def ana_objects(world, db):  # type: ignore[no-untyped-def]
    return world["objects"]


def _snapshot():
    return (
        list(Administration.objects.values_list("id", "flags_acknowledged_at", "total")),
        list(ClientLink.objects.values_list("id")),
        list(Client.objects.values_list("code", "ended_on")),
        list(Session.objects.values_list("id", "starts_at", "emotional_load")),
        list(Reflection.objects.values_list("id", "empathy", "gave_me")),
        list(Item.objects.values_list("id", "title", "description")),
        list(Trial.objects.values_list("id", "helped", "situation")),
        list(Supervision.objects.values_list("id", "supervisor", "accepted_at", "ended_at")),
        list(Share.objects.values_list("id", "kind", "revoked_at")),
        list(Comment.objects.values_list("id", "text")),
        list(Meeting.objects.values_list("id", "notes")),
        list(Goal.objects.values_list("id", "progress")),
        list(Support.objects.values_list("id", "note")),
        list(Member.objects.values_list("id", "user")),
        list(Post.objects.values_list("id", "text")),
        list(Reply.objects.values_list("id", "text")),
    )


@pytest.mark.parametrize("outsider", ["ben", "cara"])
@pytest.mark.parametrize("name", sorted(OWNED))
def test_outsider_gets_404_on_every_object_url(client, request, ana, ana_objects, outsider, name):
    route = next(r for n, r, _ in OUR_PATTERNS if n == name)
    url = fill(route, OWNED[name](ana_objects))
    post = post_data(ana_objects)
    if name not in POST_ONLY:
        client.force_login(ana)
        assert client.get(url).status_code in (200, 302), "the owner must reach it, or this test proves nothing"
    before = _snapshot()
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(url).status_code == (405 if name in POST_ONLY else 404)
    assert client.post(url, post).status_code == 404
    assert _snapshot() == before
    if name in POST_ONLY:  # these act only on a POST: the owner's own POST must get through
        client.force_login(ana)
        assert client.post(url, post).status_code in (200, 302)
        assert _snapshot() != before


@pytest.mark.parametrize("outsider", ["ben", "cara"])
def test_outsider_sees_nothing_of_ana_on_any_page(client, request, ana_objects, outsider):
    client.force_login(request.getfixturevalue(outsider))
    pages = [fill(route, {}) for name, route, conv in OUR_PATTERNS if not conv and name != "practice:logout"]
    pages += [fill(route, NOT_OWNED[name]) for name, route, conv in OUR_PATTERNS if name in NOT_OWNED]
    pages += ["/search/?q=my+sister+patience+answering", "/repertoire/?tag=pause"]
    for url in pages:
        html = text_of(client.get(url))
        assert "N-0007" not in html and SECRET_TEXT not in html, url


def test_a_query_string_cannot_reach_anothers_objects(client, ben, ana_objects):
    client.force_login(ben)
    assert client.get(f"/reflections/new/?session={ana_objects['session'].pk}").status_code == 404
    response = client.get("/sessions/new/?client=N-0007")
    assert response.status_code == 200 and "N-0007" not in response.content.decode()
    assert client.get("/reflections/?client=N-0007").status_code == 400


def test_signed_out_visitors_reach_nothing_but_sign_in(client, ana_objects):
    for name, route, _converters in OUR_PATTERNS:
        values = OWNED[name](ana_objects) if name in OWNED else NOT_OWNED.get(name, {})
        url = fill(route, values)
        response = client.get(url)
        if name in SIGN_IN_PAGES:
            assert response.status_code == 200, url
        elif name == "practice:two-factor-verify":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]  # no password step yet
        elif name == "client-link":
            assert response.status_code == 404  # public, but only with a real token
        elif name == "reminders:unsubscribe":
            assert response.status_code == 400  # public, but only with a token we signed
        elif name == "practice:logout":
            assert response.status_code in (302, 405)
        elif name in OFFLINE_SHELL:
            assert response.status_code == 200 and "N-0007" not in text_of(response), url  # public, names nobody
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
