"""'Access to my data': a therapist sees every event about their data, and nobody else's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reciprocity.audit.models import Action, Event
from reciprocity.audit.services import record
from reciprocity.audit.views import PAGE_SIZE
from reciprocity.practice.tokens import create_token
from tests.builders import sign_in


def bearer(user):
    _, raw = create_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def trail(ana, ben):
    """Ben reads Ana's list once; Ana exports; Ben exports his own data."""
    record(Action.READ, "read the list of shared items", subject=ana, actor=ben)
    record(Action.EXPORT, "downloaded all data as a zip", subject=ana, actor=ana)
    record(Action.EXPORT, "downloaded ben's data", subject=ben, actor=ben)


def test_the_page_lists_who_did_what_newest_first(as_ana, ana, trail):
    page = as_ana.get(reverse("audit:activity")).content.decode()
    assert "Ben Brooks" in page and "read the list of shared items" in page
    assert page.index("downloaded all data") < page.index("read the list") < page.index("<td>signed in</td>")
    assert "downloaded ben" not in page


def test_the_page_filters_by_action(as_ana, trail):
    page = as_ana.get(reverse("audit:activity"), {"action": "read"}).content.decode()
    assert "read the list of shared items" in page and "downloaded all data" not in page
    page = as_ana.get(reverse("audit:activity"), {"action": "nonsense"}).content.decode()
    assert "read the list of shared items" in page and "downloaded all data" in page  # unknown: everything


def test_another_therapist_never_sees_someone_elses_events(client, ana, ben, cara, trail):
    for outsider in (ben, cara):
        sign_in(client, outsider)
        page = client.get(reverse("audit:activity")).content.decode()
        assert "read the list of shared items" not in page and "downloaded all data as a zip" not in page
        listed = client.get("/api/v1/audit", headers=bearer(outsider)).json()["items"]
        assert all(item["what"] not in {"read the list of shared items", "downloaded all data as a zip"}
                   for item in listed)  # fmt: skip


def test_the_page_is_paginated_and_its_queries_do_not_grow_with_it(as_ana, ana, ben, cara):
    Event.objects.bulk_create(
        Event(action=Action.READ, what=f"read item {n}", subject=ana, actor=(ben, cara)[n % 2],
              when=timezone.now() - datetime.timedelta(minutes=n))
        for n in range(PAGE_SIZE + 5)
    )  # fmt: skip
    url = reverse("audit:activity")
    with CaptureQueriesContext(connection) as first:
        page = as_ana.get(url).content.decode()
    assert "read item 0" in page and f"read item {PAGE_SIZE + 4}" not in page and "Page 1 of 2" in page
    with CaptureQueriesContext(connection) as second:
        page = as_ana.get(url, {"page": 2}).content.decode()
    assert f"read item {PAGE_SIZE + 4}" in page
    # the session, the user, the roles for the menu, the count, one page of events with their actors
    assert len(first) == len(second) <= 5


def test_the_api_lists_ones_own_events_with_a_filter(client, ana, ben, trail):
    response = client.get("/api/v1/audit", {"action": "read"}, headers=bearer(ana))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["action"], item["actor"], item["what"]) == ("read", "Ben Brooks", "read the list of shared items")
    everything = client.get("/api/v1/audit", headers=bearer(ana)).json()["items"]
    assert {i["actor"] for i in everything} == {"you", "Ben Brooks"}


def test_the_api_refuses_strangers_and_unknown_actions(client, ana):
    assert client.get("/api/v1/audit").status_code == 401
    response = client.get("/api/v1/audit", {"action": "delete"}, headers=bearer(ana))
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "action"


def test_the_page_is_linked_from_settings_and_from_supervision(as_ana):
    url = reverse("audit:activity")
    assert url in as_ana.get(reverse("practice:settings")).content.decode()
    assert url in as_ana.get(reverse("sharing:index")).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("audit:activity"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
