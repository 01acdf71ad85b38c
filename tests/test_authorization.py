"""Who may reach what: every endpoint x role x method, generated from the URL configuration and the API schema.

Each page (a named URL) and each API operation (path + method) has an access category below, in
WEB or API; the category gives the answer every role must get, so a new endpoint is covered
as soon as it is registered and cannot be forgotten: `test_every_page_is_in_the_matrix` and
`test_every_api_operation_is_in_the_matrix` fail, naming it, until it is.

To register a new endpoint:
1. Page: add `"app:name": CATEGORY` to WEB. If its view only acts on a POST (@require_POST), add the
   name to POST_ONLY too. If its URL takes parameters, it also goes in OWNED or NOT_OWNED of
   tests/test_isolation.py, which say how to fill them from the owner's objects (tests/sweep.py).
2. API operation: add `"METHOD /api/v1/path/{param}": CATEGORY` to API; a path parameter is filled by
   API_PARAMETERS in tests/sweep.py, and a POST/PUT/PATCH body can be given in API_BODIES (the owner's must succeed).
3. Choose the category from what the view checks, not from what the test answers. If no category
   fits, the endpoint may grant access it should not: say so rather than encode it.

The roles, all in one world built once per module (each test rolls back what it changed):
owner (Ana), same_practice (Ben), other_practice (Cara, another practice), supervisor_without_consent
(Sol supervises Ana, who shares nothing with him), supervisor_with_consent (Kim, to whom Ana shared a
reflection and her well-being trend), director (Dora directs Ana's practice), staff (Stan, a
superuser of the admin, in no practice of Ana's) and anonymous. Each signs in as after the password and
two-factor steps (tests.builders.sign_in); on the API each has an access token. Beyond the status, no
response to anyone but the owner may contain the owner's private text (CANARY) or her client's code.

Every admin URL is in one category, STAFF_ONLY, checked on a handful of representative pages (ADMIN).
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings

from reciprocity.config.api import api
from reciprocity.measures import registry
from reciprocity.measures.services import create_client_link
from reciprocity.practice.models import Practice, Role, User
from reciprocity.practice.tokens import create_token
from reciprocity.reminders.contents import unsubscribe_token
from reciprocity.sharing import services as sharing
from tests.builders import make_client, make_reflection, make_session, make_user, sign_in, world_rolled_back
from tests.sweep import fill, fill_api, owned_objects, patterns, post_data, text_of, unnamed_routes
from tests.test_isolation import NOT_OWNED, OWNED
from tests.test_isolation import POST_ONLY as OBJECT_POST_ONLY

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "same_practice", "other_practice", "supervisor_without_consent", "supervisor_with_consent",
         "director", "staff", "owner")  # fmt: skip
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
CANARY = "CANARY-"
CLIENT_CODE = "N-0007"

# What an allowed request may get: the page, a redirect after acting, or a refusal of the (empty) input.
SERVED_POST = frozenset({200, 201, 302, 400, 415, 422})  # 415: a form body where a recording was expected
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page
TWO_FACTOR = "two-factor"  # a redirect to set up two-factor sign-in, which a signed-in role here never needs


@dataclass(frozen=True)
class Access:
    """Who gets an endpoint, and what everyone else gets instead."""

    allowed: frozenset[str]
    refused: int | str  # what a signed-in role outside `allowed` gets
    anonymous: int | str = LOGIN  # what a signed-out visitor gets, unless allowed


PUBLIC = Access(frozenset(ROLES), refused=404)
SIGNED_IN_ANY = Access(SIGNED_IN, refused=404)  # each signed-in person sees only their own data there
OWNER_ONLY = Access(frozenset({"owner"}), refused=404)
# The owner and the supervisor she shared the item with, while the supervision lasts.
SUPERVISOR_WITH_CONSENT = Access(frozenset({"owner", "supervisor_with_consent"}), refused=404)
# A peer group: its members (here only the owner; none of the other roles is in her group).
PEER_GROUP = OWNER_ONLY
# The invitation addressed to the owner (Kim asked Ana to supervise him): only the invitee answers it.
INVITEE = OWNER_ONLY
DIRECTOR = Access(frozenset({"director"}), refused=403)  # the practice's aggregates, never one person's data
# A link whose token is the key: any signed-in colleague who holds it may open it.
TOKEN_LINK = SIGNED_IN_ANY
# A step of signing in (the two-factor code after the password): without that step begun, everyone is sent to sign in.
SIGN_IN_STEP = Access(frozenset(), refused=LOGIN)
NOWHERE = Access(frozenset(), refused=404, anonymous=404)  # a URL that answers nothing to anyone
STAFF_ONLY = Access(frozenset({"staff"}), refused=ADMIN_LOGIN)  # the admin; signed out, either sign-in page
# API: no token is a 401; an operation that names another's object in its body refuses it as bad input.
API_SIGNED_IN = Access(SIGNED_IN, refused=404, anonymous=401)
API_OWNER_ONLY = Access(frozenset({"owner"}), refused=404, anonymous=401)
API_OWNER_REFERENCE = Access(frozenset({"owner"}), refused=422, anonymous=401)

WEB: dict[str, Access] = {
    "today:today": SIGNED_IN_ANY,
    "today:more": SIGNED_IN_ANY,
    "today:reflected": SIGNED_IN_ANY,
    "offline:manifest": PUBLIC,  # the web app manifest: names and icons, nothing private
    "offline:service-worker": PUBLIC,  # the service worker's code
    "offline:offline-page": PUBLIC,  # what a page not kept offline shows without a connection
    "therapy:session-list": SIGNED_IN_ANY,
    "therapy:session-create": SIGNED_IN_ANY,
    "therapy:techniques": SIGNED_IN_ANY,
    "therapy:session-detail": OWNER_ONLY,
    "therapy:session-edit": OWNER_ONLY,
    "therapy:session-delete": OWNER_ONLY,
    "therapy:reflection-list": SIGNED_IN_ANY,
    "therapy:reflection-create": SIGNED_IN_ANY,
    "therapy:reflection-detail": OWNER_ONLY,
    "therapy:reflection-edit": OWNER_ONLY,
    "therapy:reflection-delete": OWNER_ONLY,
    "practice:login": PUBLIC,
    "practice:two-factor-verify": SIGN_IN_STEP,
    "practice:logout": SIGNED_IN_ANY,
    "practice:password-change": SIGNED_IN_ANY,
    "practice:password-reset": PUBLIC,
    "practice:password-reset-done": PUBLIC,
    "practice:password-reset-confirm": PUBLIC,
    "practice:password-reset-complete": PUBLIC,
    "practice:two-factor": SIGNED_IN_ANY,
    "practice:settings": SIGNED_IN_ANY,
    "practice:tokens": SIGNED_IN_ANY,
    "practice:delete-account": SIGNED_IN_ANY,
    "clients:index": SIGNED_IN_ANY,
    "clients:create": SIGNED_IN_ANY,
    "clients:concerns": SIGNED_IN_ANY,
    "clients:detail": OWNER_ONLY,
    "clients:edit": OWNER_ONLY,
    "insights:dashboard": SIGNED_IN_ANY,
    "insights:flywheel": SIGNED_IN_ANY,
    "insights:alert-respond": SIGNED_IN_ANY,
    "insights:practice": DIRECTOR,
    "measures:instrument-list": SIGNED_IN_ANY,
    "measures:instrument-detail": SIGNED_IN_ANY,
    "measures:instrument-fhir": SIGNED_IN_ANY,
    "measures:caseload": SIGNED_IN_ANY,  # each person's own clients only
    "measures:client": OWNER_ONLY,
    "measures:choose-instrument": OWNER_ONLY,
    "measures:administration-create": OWNER_ONLY,
    "measures:link-create": OWNER_ONLY,
    "measures:fhir-import": OWNER_ONLY,
    "measures:administration-detail": OWNER_ONLY,
    "measures:administration-acknowledge": OWNER_ONLY,
    "measures:administration-fhir": OWNER_ONLY,
    "client-link": PUBLIC,  # the client's questionnaire, reached by its token alone
    "checkins:index": SIGNED_IN_ANY,
    "checkins:create": SIGNED_IN_ANY,
    "exports:index": SIGNED_IN_ANY,
    "exports:account": SIGNED_IN_ANY,
    "exports:table": SIGNED_IN_ANY,
    "imports:upload": SIGNED_IN_ANY,
    "imports:map": SIGNED_IN_ANY,
    "calendars:start": SIGNED_IN_ANY,
    "calendars:map": SIGNED_IN_ANY,
    "calendars:preview": SIGNED_IN_ANY,
    "repertoire:index": SIGNED_IN_ANY,
    "repertoire:create": SIGNED_IN_ANY,
    "repertoire:detail": OWNER_ONLY,
    "repertoire:edit": OWNER_ONLY,
    "repertoire:delete": OWNER_ONLY,
    "repertoire:trial-create": OWNER_ONLY,
    "repertoire:trial-delete": OWNER_ONLY,
    "recall:index": SIGNED_IN_ANY,
    "sharing:index": SIGNED_IN_ANY,
    "sharing:invite": SIGNED_IN_ANY,
    "sharing:invite-link": SIGNED_IN_ANY,
    "sharing:join": TOKEN_LINK,
    "sharing:supervision": SUPERVISOR_WITH_CONSENT,
    "sharing:accept": INVITEE,
    "sharing:end": SUPERVISOR_WITH_CONSENT,  # either side may end a supervision
    "sharing:consent": OWNER_ONLY,
    "sharing:meeting-create": SUPERVISOR_WITH_CONSENT,
    "sharing:share": SUPERVISOR_WITH_CONSENT,
    "sharing:share-comment": SUPERVISOR_WITH_CONSENT,
    "sharing:share-revoke": OWNER_ONLY,
    "sharing:share-reflection": OWNER_ONLY,
    "development:index": SIGNED_IN_ANY,
    "development:goal-create": SIGNED_IN_ANY,
    "development:goal-progress": OWNER_ONLY,
    "development:delete": OWNER_ONLY,
    "development:support": SIGNED_IN_ANY,
    "peers:index": SIGNED_IN_ANY,
    "peers:group": PEER_GROUP,
    "peers:reply": PEER_GROUP,
    "peers:add-member": PEER_GROUP,
    "peers:leave": PEER_GROUP,
    "reports:index": SIGNED_IN_ANY,
    "reports:monthly": SIGNED_IN_ANY,
    "reports:packet": SUPERVISOR_WITH_CONSENT,  # a packet of the shared items only
    "reports:client": OWNER_ONLY,
    "reports:caseload": SIGNED_IN_ANY,  # each person's own clients only
    "audit:activity": SIGNED_IN_ANY,
    "reminders:settings": SIGNED_IN_ANY,
    "reminders:unsubscribe": PUBLIC,  # the link in a digest, reached by its signed token alone
    "prompts:mine": SIGNED_IN_ANY,  # each person's own prompts
    "prompts:practice": DIRECTOR,  # the practice's default prompts, set by its director
    "voice:transcribe": SIGNED_IN_ANY,  # a session or reflection named in its query is the owner's only
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": NOWHERE,
}
# Views that act only on a POST: a GET is 405 for whoever gets past sign-in.
POST_ONLY = OBJECT_POST_ONLY | {"sharing:invite", "sharing:invite-link", "practice:logout", "insights:alert-respond",
                                "development:goal-create", "calendars:map", "voice:transcribe"}  # fmt: skip
GET_ONLY = {"practice:password-reset-done", "practice:password-reset-complete",
            "offline:manifest", "offline:service-worker", "offline:offline-page"}  # fmt: skip  # a POST is 405
# Pages whose GET redirects those it lets in: sign-in to the home page once signed in, a step without its
# earlier step (the import's column mapping before an upload, an answer form before choosing the questionnaire,
# the calendar import's preview before a calendar).
GET_REDIRECTS = {"practice:login", "imports:map", "measures:choose-instrument", "calendars:preview"}
# Queries that would find the owner's private text, asked by everyone.
WEB_QUERIES = {"recall:index": "?q=gave-me+private-note", "repertoire:index": "?tag=pause"}
# The keys of links, made in the world, so the links open rather than 404.
TOKENS = {"sharing:join": "join_token", "client-link": "client_token", "reminders:unsubscribe": "unsubscribe_token"}

ADMIN = {  # name: how to fill it
    "admin:index": lambda w: {},
    "admin:practice_user_changelist": lambda w: {},
    "admin:practice_user_change": lambda w: {"object_id": w["owner"].pk},
    "admin:practice_practice_changelist": lambda w: {},
    "admin:audit_event_changelist": lambda w: {},
}

API: dict[str, Access] = {
    "GET /api/v1/clients": API_SIGNED_IN,
    "POST /api/v1/clients": API_SIGNED_IN,
    "GET /api/v1/clients/{code}": API_OWNER_ONLY,
    "GET /api/v1/sessions": API_SIGNED_IN,
    "POST /api/v1/sessions": API_OWNER_REFERENCE,
    "GET /api/v1/sessions/{session_id}": API_OWNER_ONLY,
    "GET /api/v1/reflections": API_SIGNED_IN,
    "POST /api/v1/reflections": API_OWNER_REFERENCE,
    "GET /api/v1/reflections/{reflection_id}": API_OWNER_ONLY,
    "GET /api/v1/measures/instruments": API_SIGNED_IN,
    "GET /api/v1/measures/responses": API_SIGNED_IN,
    "GET /api/v1/measures/responses/{response_id}": API_OWNER_ONLY,
    "GET /api/v1/measures/responses/{response_id}/fhir": API_OWNER_ONLY,
    "GET /api/v1/flywheel/series": API_SIGNED_IN,
    "GET /api/v1/repertoire": API_SIGNED_IN,
    "POST /api/v1/repertoire": API_SIGNED_IN,
    "GET /api/v1/repertoire/{item_id}": API_OWNER_ONLY,
    "POST /api/v1/repertoire/{item_id}/trials": API_OWNER_ONLY,
    "GET /api/v1/search": API_SIGNED_IN,
    "GET /api/v1/audit": API_SIGNED_IN,
}
API_QUERIES = {"/api/v1/search": "?q=gave-me+private-note"}
API_BODIES = {  # what the owner's request must succeed with
    "POST /api/v1/clients": lambda w: {"code": "Z-0042", "started_on": "2026-01-01"},
    "POST /api/v1/sessions": lambda w: {"client": w["client"].code, "starts_at": "2026-01-02T10:00:00Z"},
    "POST /api/v1/reflections": lambda w: {"session": w["bare_session"].pk, "ratings": dict.fromkeys(
        ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries"), 2)},
    "POST /api/v1/repertoire": lambda w: {"title": "Breathe out longer"},
    "POST /api/v1/repertoire/{item_id}/trials": lambda w: {"tried_on": "2026-03-02", "situation": "A try.",
                                                           "helped": 3},
}  # fmt: skip


def _web_patterns() -> dict[str, str]:
    """name: route of every page, API operations left to the schema and admin pages to ADMIN."""
    operations = {path.replace("{", "<").replace("}", ">") for path in api.get_openapi_schema()["paths"]}
    return {name: route for name, route, _ in patterns()
            if not name.startswith("admin:") and "/" + route not in operations}  # fmt: skip


def _api_operations() -> set[str]:
    return {f"{method.upper()} {path}" for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}


WEB_ROUTES = _web_patterns()
ADMIN_ROUTES = {name: route for name, route, _ in patterns() if name.startswith("admin:")}


def test_every_page_is_in_the_matrix():
    missing, gone = sorted(set(WEB_ROUTES) - set(WEB)), sorted(set(WEB) - set(WEB_ROUTES))
    assert not missing, f"add these URL names to WEB in tests/test_authorization.py: {missing}"
    assert not gone, f"these URL names in WEB no longer exist: {gone}"
    assert set(ADMIN) <= set(ADMIN_ROUTES), f"these admin URL names no longer exist: {set(ADMIN) - set(ADMIN_ROUTES)}"
    assert set(WEB) >= POST_ONLY, f"POST_ONLY names no page: {POST_ONLY - set(WEB)}"
    unnamed = [route for route in unnamed_routes() if not route.startswith("admin/")]
    assert not unnamed, f"give these URLs a name, so that the matrix can list them: {unnamed}"


def test_every_api_operation_is_in_the_matrix():
    operations = _api_operations()
    missing, gone = sorted(operations - set(API)), sorted(set(API) - operations)
    assert not missing, f"add these API operations to API in tests/test_authorization.py: {missing}"
    assert not gone, f"these API operations in API no longer exist: {gone}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Ana's world and one person in each role, built once; every test runs in a transaction rolled back after it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), world_rolled_back():
        north = Practice.objects.create(name="North clinic")
        ana = make_user("ana", practice=north, full_name="Ana Alves")
        session = make_session(make_client(ana, CLIENT_CODE))
        reflection = make_reflection(session, gave_me=f"{CANARY}gave-me", carry_home=f"{CANARY}carry-home")
        objects = owned_objects(reflection, secret=f"{CANARY}private-note")
        sharing.set_consent(objects["supervision"], "wellbeing", by=ana, on=True)
        sol = make_user("sol", practice=north, role=Role.SUPERVISOR)
        unshared = sharing.accept(sharing.invite(ana, sol), sol)
        stan = make_user("stan", full_name="Stan Staff")
        User.objects.filter(pk=stan.pk).update(is_staff=True, is_superuser=True)
        _, join_token = sharing.invite_by_link(ana)
        _, client_token = create_client_link(therapist=ana, client=objects["client"], instrument=registry.get("phq9"))
        people = {
            "owner": ana,
            "same_practice": make_user("ben", practice=north),
            "other_practice": make_user("cara", practice=Practice.objects.create(name="South clinic")),
            "supervisor_without_consent": sol,
            "supervisor_with_consent": objects["kim"],
            "director": make_user("dora", practice=north, role=Role.DIRECTOR),
            "staff": User.objects.get(pk=stan.pk),
        }
        tokens = {role: create_token(user=user, name="matrix", scope="write")[1] for role, user in people.items()}
        yield {**objects, **people, "people": people, "api_tokens": tokens, "join_token": join_token,
               "client_token": client_token, "unshared_supervision": unshared,
               "unsubscribe_token": unsubscribe_token(ana, "daily"),
               "bare_session": make_session(session.client)}  # fmt: skip


def _as(client: HttpClient, world: dict[str, Any], role: str) -> HttpClient:
    if role != "anonymous":
        sign_in(client, world["people"][role])
    return client


def _expected(name: str, role: str, method: str) -> set[int | str]:
    access = WEB[name]
    if role == "anonymous" and "anonymous" not in access.allowed:
        return {access.anonymous}
    if (method == "GET" and name in POST_ONLY) or (method == "POST" and name in GET_ONLY):
        return {405}  # refused for the method before anything is looked up
    if role not in access.allowed:
        return {access.refused}
    if method == "GET":
        return {200, 302} if name in GET_REDIRECTS else {200}
    return {LOGIN} if name == "practice:logout" else set(SERVED_POST)


def _outcome(response: Any) -> int | str:
    if response.status_code == 302:
        if response["Location"].startswith("/accounts/login/"):
            return LOGIN
        if response["Location"].startswith("/admin/login/"):
            return ADMIN_LOGIN
        if response["Location"].startswith("/accounts/two-factor/"):
            return TWO_FACTOR
    return response.status_code


def _assert_private(role: str, response: Any, where: str) -> None:
    if role != "owner":
        text = text_of(response)
        assert CANARY not in text and CLIENT_CODE not in text, f"{where}: the owner's private text reached {role}"


def _web_url(name: str, world: dict[str, Any]) -> str:
    if name in TOKENS:
        values = {"token": world[TOKENS[name]]}
    elif name in OWNED:
        values = OWNED[name](world)
    else:
        values = NOT_OWNED.get(name, {})
    url = fill(WEB_ROUTES[name], values)
    assert "<" not in url, f"{name}: say how to fill its URL in OWNED or NOT_OWNED of tests/test_isolation.py"
    return url + WEB_QUERIES.get(name, "")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(set(WEB) & set(WEB_ROUTES)))
def test_page(client, world, name, role):
    url = _web_url(name, world)
    _as(client, world, role)
    expected_get = _expected(name, role, "GET")
    response = client.get(url)
    assert _outcome(response) in expected_get, f"GET {url} as {role}: {_outcome(response)}, not {expected_get}"
    _assert_private(role, response, f"GET {url}")
    if role != "anonymous" and "_auth_user_id" not in client.session:
        _as(client, world, role)  # the GET signed them out (the sign-in page does): the POST is theirs again
    response = client.post(url, post_data(world))
    expected_post = _expected(name, role, "POST")
    assert _outcome(response) in expected_post, f"POST {url} as {role}: {_outcome(response)}, not {expected_post}"
    _assert_private(role, response, f"POST {url}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ADMIN))
def test_admin_page(client, world, name, role):
    url = fill(ADMIN_ROUTES[name], ADMIN[name](world))
    _as(client, world, role)
    response = client.get(url)
    if role == "anonymous":
        expected = {LOGIN, ADMIN_LOGIN}
    else:
        expected = {200} if role in STAFF_ONLY.allowed else {STAFF_ONLY.refused}
    assert _outcome(response) in expected, f"GET {url} as {role}: {_outcome(response)}, not {expected}"
    _assert_private(role, response, f"GET {url}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(set(API) & _api_operations()))
def test_api_operation(client, world, operation, role):
    method, path = operation.split(" ", 1)
    url = fill_api(path, world) + API_QUERIES.get(path, "")
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['api_tokens'][role]}"}
    body = API_BODIES.get(operation, lambda w: {})(world)
    response = client.generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)
    access = API[operation]
    expected = {200, 201} if role in access.allowed else {access.refused if role != "anonymous" else access.anonymous}
    assert response.status_code in expected, f"{operation} as {role}: {response.content[:300]!r}"
    _assert_private(role, response, operation)


@pytest.mark.parametrize("path", sorted(api.get_openapi_schema()["paths"]))
def test_api_refuses_methods_it_does_not_declare(client, world, path):
    declared = set(api.get_openapi_schema()["paths"][path])
    headers = {"Authorization": f"Bearer {world['api_tokens']['owner']}"}
    for method in {"get", "post", "put", "patch", "delete"} - declared:
        response = client.generic(method.upper(), fill_api(path, world), content_type="application/json",
                                  headers=headers)  # fmt: skip
        assert response.status_code == 405, f"{method.upper()} {path}"


def test_the_owner_sees_her_private_text_so_its_absence_elsewhere_means_something(client, world):
    sign_in(client, world["owner"])
    assert CANARY in client.get(f"/reflections/{world['reflection'].pk}/").content.decode()
    assert CANARY in client.get(f"/repertoire/{world['item'].pk}/").content.decode()
    assert CLIENT_CODE in client.get("/clients/").content.decode()
    assert CANARY in client.get("/search/" + WEB_QUERIES["recall:index"]).content.decode()
    headers = {"Authorization": f"Bearer {world['api_tokens']['owner']}"}
    assert CANARY in client.get(f"/api/v1/reflections/{world['reflection'].pk}", headers=headers).content.decode()
    assert CANARY in client.get("/api/v1/search" + API_QUERIES["/api/v1/search"], headers=headers).content.decode()


def test_a_supervisor_reads_only_what_was_shared_with_them(client, world):
    shared = "Patience, shared."  # the reviewed words Ana shared with Kim
    sign_in(client, world["supervisor_with_consent"])
    assert shared in client.get(f"/supervision/shares/{world['share'].pk}/").content.decode()
    sign_in(client, world["supervisor_without_consent"])
    pk = world["unshared_supervision"].pk
    for url in (f"/supervision/{pk}/", f"/reports/supervision/{pk}.html", "/supervision/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert shared not in text_of(response) and CANARY not in text_of(response), url


def test_a_director_sees_no_private_text_even_of_a_therapist_who_shows_in_the_practice_view(client, world):
    User.objects.filter(pk=world["owner"].pk).update(shows_in_practice_view=True)
    sign_in(client, world["director"])
    response = client.get("/dashboard/practice/")
    assert response.status_code == 200
    assert CANARY not in text_of(response) and CLIENT_CODE not in text_of(response)
