"""The JSON API: tokens, scopes, isolation of every object endpoint, plain JSON errors."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.utils import timezone

from reciprocity.config.api import api
from reciprocity.practice.models import AccessToken
from reciprocity.practice.tokens import create_token
from reciprocity.therapy.models import Session
from tests.sweep import fill_api, owned_objects

RATINGS = dict.fromkeys(("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing",
                         "boundaries"), 2)  # fmt: skip


def bearer(user, scope="write", **kwargs):
    _, raw = create_token(user=user, name="test", scope=scope, **kwargs)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def ana_objects(ana_reflection):
    return owned_objects(ana_reflection)


def object_paths():
    schema = api.get_openapi_schema()
    return sorted(path for path, ops in schema["paths"].items() if "{" in path and "get" in ops)


def test_every_object_endpoint_is_in_the_sweep():
    assert object_paths() == [
        "/api/v1/clients/{code}", "/api/v1/measures/responses/{response_id}",
        "/api/v1/measures/responses/{response_id}/fhir", "/api/v1/reflections/{reflection_id}",
        "/api/v1/repertoire/{item_id}", "/api/v1/sessions/{session_id}",
    ]  # fmt: skip


@pytest.mark.parametrize("outsider", ["ben", "cara"])
def test_every_object_endpoint_answers_404_to_another_therapist(client, request, ana, ana_objects, outsider):
    for path in object_paths():
        url = fill_api(path, ana_objects)
        assert client.get(url, headers=bearer(ana)).status_code == 200, url
        response = client.get(url, headers=bearer(request.getfixturevalue(outsider)))
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}, url


def test_lists_hold_only_ones_own_data(client, ben, ana_objects):
    for path in ("/api/v1/clients", "/api/v1/sessions", "/api/v1/reflections", "/api/v1/measures/responses",
                 "/api/v1/repertoire"):  # fmt: skip
        assert client.get(path, headers=bearer(ben)).json() == {"items": [], "count": 0}, path


def test_a_therapist_writes_through_the_api_with_a_write_token(client, ana):
    headers = bearer(ana)
    created = client.post("/api/v1/clients", {"code": "n-0042", "started_on": "2026-01-01", "concerns": ["grief"]},
                          content_type="application/json", headers=headers)  # fmt: skip
    assert created.status_code == 201 and created.json()["code"] == "N-0042"
    when = (timezone.now() - datetime.timedelta(hours=3)).isoformat()
    session = client.post("/api/v1/sessions", {"client": "N-0042", "starts_at": when, "techniques": ["EMDR"]},
                          content_type="application/json", headers=headers)  # fmt: skip
    assert session.status_code == 201 and session.json()["techniques"] == ["EMDR"]
    reflection = client.post("/api/v1/reflections", {"session": session.json()["id"], "ratings": RATINGS},
                             content_type="application/json", headers=headers)  # fmt: skip
    assert reflection.status_code == 201
    assert (
        client.get(f"/api/v1/sessions/{session.json()['id']}", headers=headers).json()["reflection"]
        == reflection.json()["id"]
    )


@pytest.mark.parametrize(
    ("path", "payload", "field", "message"),
    [
        ("/api/v1/clients", {"code": "Maria", "started_on": "2026-01-01"}, "code", "at least one digit"),
        ("/api/v1/clients", {"code": "N-0007", "started_on": "2026-01-01"}, "code", "already have a client"),
        (
            "/api/v1/clients",
            {"code": "N-1", "started_on": "2026-01-01", "concerns": ["x"]},
            "concerns",
            "Choose one of your own concerns",
        ),
        ("/api/v1/clients", {"code": "N-1", "started_on": "yesterday"}, "started_on", "date"),
        (
            "/api/v1/sessions",
            {"client": "N-0007", "starts_at": "2026-01-01T10:00:00Z", "emotional_load": 11},
            "emotional_load",
            "from 0 to 10",
        ),
        ("/api/v1/sessions", {"client": "B-0001", "starts_at": "2026-01-01T10:00:00Z"}, "client", "your own clients"),
        ("/api/v1/reflections", {"session": 999999, "ratings": RATINGS}, "session", "not one of yours"),
        (
            "/api/v1/reflections",
            {"occasion": "training", "ratings": RATINGS | {"empathy": 9}},
            "empathy",
            "0 (not touched)",
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_saves_nothing(client, ana, ana_client, path, payload, field, message):
    before = (Session.objects.count(), ana.clients.count())
    response = client.post(path, payload, content_type="application/json", headers=bearer(ana))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(d["field"] is not None and field in d["field"] and message in d["message"] for d in detail), detail
    assert (Session.objects.count(), ana.clients.count()) == before


def test_a_read_token_cannot_write(client, ana):
    response = client.post("/api/v1/clients", {"code": "N-0042", "started_on": "2026-01-01"},
                           content_type="application/json", headers=bearer(ana, scope="read"))  # fmt: skip
    assert response.status_code == 403 and "can only read" in response.json()["detail"]


def test_revoked_expired_and_cookie_tokens_do_not_work(client, ana):
    token, raw = create_token(user=ana, name="t")
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/clients", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    token, raw = create_token(user=ana, name="t")
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/clients", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    _, raw = create_token(user=ana, name="t")
    client.cookies["Authorization"] = f"Bearer {raw}"
    assert client.get("/api/v1/clients").status_code == 401
    assert client.get("/api/v1/clients", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_only_a_hash_of_the_token_is_stored(ana):
    token, raw = create_token(user=ana, name="t")
    assert raw not in json.dumps(list(AccessToken.objects.values()), default=str)
    assert token.prefix == raw[:10]


def test_the_browser_session_works_but_keeps_csrf_protection(ana):
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(ana)
    assert browser.get("/api/v1/clients").status_code == 200
    response = browser.post(
        "/api/v1/clients", {"code": "N-0042", "started_on": "2026-01-01"}, content_type="application/json"
    )
    assert response.status_code == 403 and not ana.clients.filter(code="N-0042").exists()


def test_the_schema_and_its_docs_are_served_without_any_outside_asset(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "Reciprocity API"
    docs = client.get("/api/v1/docs").content.decode()
    assert not re.search(r"(src|href)=\"https?://", docs)


def test_the_schema_is_built_once_and_each_reader_gets_a_copy(client, monkeypatch):
    import ninja.main

    built = []
    build = ninja.main.get_schema
    monkeypatch.setattr(api, "_schemas", {}, raising=False)  # built afresh for this test
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kw: built.append(kw) or build(**kw))
    first, second = client.get("/api/v1/openapi.json").json(), client.get("/api/v1/openapi.json").json()
    assert first == second and len(built) == 1
    api.get_openapi_schema()["info"]["title"] = "changed by one reader"
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Reciprocity API"


def test_the_token_command(ana):
    out = StringIO()
    call_command("token", "create", "--user", "ana", "--scope", "write", "--expires", "30", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("rcp_") and AccessToken.objects.get().scope == "write"
    listing = StringIO()
    call_command("token", "list", "--user", "ana", stdout=listing)
    assert raw[:10] in listing.getvalue() and "active" in listing.getvalue()
    call_command("token", "revoke", "--user", "ana", raw[:10], stdout=StringIO())
    assert AccessToken.objects.get().revoked_at is not None
    for args, message in (
        (["create", "--user", "nobody"], "no user called"),
        (["create", "--user", "ana", "--expires", "0"], "1 to 3650"),
    ):
        with pytest.raises(CommandError, match=message) as error:
            call_command("token", *args, stdout=StringIO())
        assert error.value.returncode == 2


def test_the_tokens_page_shows_a_new_token_once_and_revokes_only_ones_own(as_ana, ana, ben):
    response = as_ana.post("/accounts/tokens/", {"name": "spreadsheet", "scope": "read", "expires_days": 30})
    assert "shown only now" in response.content.decode()
    bens, _ = create_token(user=ben, name="his")
    assert as_ana.post("/accounts/tokens/", {"action": "revoke", "token": bens.pk}).status_code == 404
    bens.refresh_from_db()
    assert bens.revoked_at is None
    mine = AccessToken.objects.get(user=ana)
    assert as_ana.post("/accounts/tokens/", {"action": "revoke", "token": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None


def test_lists_filter_by_date_in_the_therapists_calendar(client, ana, ana_client):
    from tests.builders import make_session

    make_session(ana_client, starts_at=datetime.datetime(2026, 4, 1, 23, 30, tzinfo=datetime.UTC))  # 2 April in Lisbon
    make_session(ana_client, starts_at=datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC))
    found = client.get("/api/v1/sessions?since=2026-04-02&until=2026-04-02", headers=bearer(ana)).json()
    assert found["count"] == 1
    assert client.get("/api/v1/sessions?until=2026-04-01", headers=bearer(ana)).json()["count"] == 1
    assert client.get("/api/v1/sessions?since=someday", headers=bearer(ana)).status_code == 422


def test_a_time_at_the_edge_of_the_calendar_is_refused_not_a_server_error(client, ana, ana_client):
    body = {"client": ana_client.code, "starts_at": "0001-01-01T00:00:00+05:00"}  # before year 1 in UTC
    response = client.post("/api/v1/sessions", body, content_type="application/json", headers=bearer(ana))
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/sessions", "/api/v1/reflections", "/api/v1/measures/responses"])
@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01", "since=1899-12-31", "until=2101-01-01"])
def test_a_day_outside_the_years_the_pages_accept_is_refused_in_plain_words(client, ana, path, query):
    ana.time_zone = "Asia/Tokyo"  # ahead of UTC: the first day of year 1 starts before UTC's calendar does
    ana.save()
    response = client.get(f"{path}?{query}", headers=bearer(ana))
    assert response.status_code == 422
    field = query.partition("=")[0]
    assert response.json() == {"detail": [{"field": field, "message": "Enter a date between 1900 and 2100."}]}


def test_the_first_and_last_day_of_the_accepted_years_are_allowed(client, ana):
    response = client.get("/api/v1/sessions?since=1900-01-01&until=2100-12-31", headers=bearer(ana))
    assert response.status_code == 200
