import datetime

import pytest

from tests.builders import make_client, make_reflection, make_session

UTC = datetime.UTC


@pytest.fixture
def history(ana, ana_client):
    other = make_client(ana, "N-0008")
    return {
        "march": make_reflection(
            make_session(ana_client, starts_at=datetime.datetime(2026, 3, 10, 10, tzinfo=UTC)),
            ratings={"resilience": 4}, gave_me="The flash-forward calmed my own health worries.",
        ),
        "april": make_reflection(
            make_session(other, starts_at=datetime.datetime(2026, 4, 2, 10, tzinfo=UTC)),
            ratings={"boundaries": 3}, carry_home="Leave the laptop at work.",
        ),
        "supervision": make_reflection(
            author=ana, occurred_at=datetime.datetime(2026, 4, 20, 18, tzinfo=UTC), gave_me="Supervision helped."
        ),
    }  # fmt: skip


def listed(response):
    return {r.pk for r in response.context["page"].object_list}


def test_all_reflections_newest_first(as_ana, history):
    response = as_ana.get("/reflections/")
    assert [r.pk for r in response.context["page"].object_list] == [
        history["supervision"].pk, history["april"].pk, history["march"].pk,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_from": "2026-04-01"}, {"april", "supervision"}),
        ({"date_to": "2026-04-02"}, {"march", "april"}),
        ({"date_from": "2026-04-02", "date_to": "2026-04-02"}, {"april"}),
        ({"dimension": "resilience"}, {"march"}),
        ({"dimension": "boundaries"}, {"april"}),
        ({"client": "n-0008"}, {"april"}),
        ({"text": "health"}, {"march"}),
        ({"text": "LAPTOP"}, {"april"}),
        ({"text": "nothing like this"}, set()),
    ],
)
def test_filters_narrow_the_history(as_ana, history, query, expected):
    response = as_ana.get("/reflections/", query)
    assert response.status_code == 200
    assert listed(response) == {history[name].pk for name in expected}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "yesterday"}, "Enter a date as YYYY-MM-DD"),
        ({"dimension": "charisma"}, "Choose one of the seven dimensions."),
        ({"client": "B-0001"}, "You have no client with the code B-0001."),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "The end of the range is before its start."),
        ({"date_to": "9999-12-31"}, "Enter a date between 1900 and 2100."),
        ({"date_from": "0001-01-01"}, "Enter a date between 1900 and 2100."),
    ],
)
def test_a_bad_filter_is_explained_and_narrows_to_nothing(as_ana, history, query, message):
    response = as_ana.get("/reflections/", query | {"text": "flash-forward"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert listed(response) == set()


def test_another_therapists_client_code_finds_nothing_of_theirs(client, ben, history):
    make_client(ben, "N-0007")
    client.force_login(ben)
    response = client.get("/reflections/", {"client": "N-0007"})
    assert response.status_code == 200 and listed(response) == set()


def test_htmx_filtering_gets_just_the_results(as_ana, history):
    response = as_ana.get("/reflections/", {"text": "health"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "<form" not in html


def test_date_filters_use_the_therapists_calendar_not_utc(as_ana, ana_client):
    # 23:30 UTC on 1 April is 00:30 on 2 April in Lisbon (summer time, UTC+1).
    late = make_reflection(make_session(ana_client, starts_at=datetime.datetime(2026, 4, 1, 23, 30, tzinfo=UTC)))
    assert listed(as_ana.get("/reflections/", {"date_from": "2026-04-02", "date_to": "2026-04-02"})) == {late.pk}
    assert listed(as_ana.get("/reflections/", {"date_to": "2026-04-01"})) == set()
