import datetime

import pytest
from django.test import Client as HttpClient

from reciprocity.calendars import services
from reciprocity.calendars.models import ImportedEvent, TitleMapping
from reciprocity.calendars.tests.calendars import DESCRIPTION, INTAKE, SUPERVISION, TITLES, VIDEO, WEEKLY, at
from reciprocity.calendars.tests.pages import answer, import_calendar, rows, stored_text, upload
from reciprocity.clients.models import Client
from reciprocity.insights import figures
from reciprocity.insights.models import WeekFigures
from reciprocity.therapy.models import Session
from reciprocity.therapy.services import record_session as services_record_session
from tests.builders import make_client, make_session, sign_in

EXPECTED = {  # what Ana's usual choices create: (client code, start on her wall clock, minutes)
    ("N-0101", at("2026-03-05", 10), 50), ("N-0101", at("2026-03-20", 14), 50), ("N-0101", at("2026-03-26", 10), 50),
    ("N-0101", at("2026-04-02", 10), 50), ("N-0101", at("2026-04-09", 10), 50),
    ("N-0007", at("2026-03-03", 14), 45), ("N-0007", at("2026-03-10", 13), 45), ("N-0007", at("2026-03-17", 13), 45),
}  # fmt: skip


def sessions_of(therapist) -> set[tuple[str, datetime.datetime, int]]:  # type: ignore[no-untyped-def]
    return set(Session.objects.owned_by(therapist).values_list("client__code", "starts_at", "duration_minutes"))


def counts() -> dict[str, int]:
    models = (Session, Client, TitleMapping, ImportedEvent, WeekFigures)
    return {model.__name__: model.objects.count() for model in models}


def test_the_mapping_page_shows_each_timed_title_once_and_no_description(as_ana, ana_client):
    response = upload(as_ana)
    page = response.content.decode()
    assert response.status_code == 200 and set(rows(page)) == set(TITLES)
    assert "5 ×" in page and "Trauma conference" not in page and DESCRIPTION not in page
    assert '<option value="N-0007"' in page  # her own codes to choose from
    assert not Session.objects.exists()


def test_the_preview_shows_codes_and_wall_clock_times_never_the_titles(as_ana, ana_client):
    mapped = answer(as_ana, upload(as_ana).content.decode())
    assert mapped.status_code == 302 and mapped["Location"] == "/calendar/preview/"
    page = as_ana.get("/calendar/preview/").content.decode()
    assert "8 new sessions, with 1 new client code; times in Europe/Lisbon" in page
    assert "Fri 20 Mar 2026</td><td>14:00–14:50</td><td>N-0101 <span" in page  # the moved occurrence
    assert "Thu 2 Apr 2026</td><td>10:00–10:50" in page  # after the change to summer time
    assert "Tue 10 Mar 2026</td><td>13:00–13:45</td><td>N-0007</td>" in page  # 09:00 in New York
    assert "1 with a title not mapped" in page and "1 marked “not a session”" in page
    assert "1 left out: all-day" in page and "1 left out: cancelled" in page
    assert not any(title in page for title in TITLES)
    assert not Session.objects.exists() and not TitleMapping.objects.exists() and Client.objects.count() == 1


def test_importing_creates_the_sessions_and_keeps_the_flywheels_figures_right(as_ana, ana, ana_client):
    before = sessions_of(ana)
    done = import_calendar(as_ana)
    assert done.status_code == 302 and done["Location"] == "/sessions/"
    assert sessions_of(ana) - before == EXPECTED
    assert Client.objects.get(therapist=ana, code="N-0101").started_on == datetime.date(2026, 3, 5)
    assert ImportedEvent.objects.owned_by(ana).count() == 8
    assert set(TitleMapping.objects.owned_by(ana).values_list("client__code", flat=True)) == {"N-0101", "N-0007", None}
    assert WeekFigures.objects.filter(therapist=ana, week=datetime.date(2026, 3, 2)).get().sessions == 2
    assert not figures.differs(ana.pk)
    assert "Imported 8 sessions and 1 new client code" in as_ana.get("/sessions/").content.decode()


def test_importing_twice_creates_nothing_new_and_remembers_the_choices(as_ana, ana, ana_client):
    import_calendar(as_ana)
    after_first = counts()
    again = upload(as_ana).content.decode()
    assert '<option value="N-0101" selected>' in again and '<option value="skip" selected>' in again
    assert answer(as_ana, again).status_code == 302
    page = as_ana.get("/calendar/preview/").content.decode()
    assert "0 new sessions" in page and "8 already in your sessions" in page
    as_ana.post("/calendar/preview/")
    assert counts() == after_first


def test_a_second_click_on_import_creates_nothing_new(as_ana, ana, ana_client):
    import_calendar(as_ana)
    after_first = counts()
    assert as_ana.post("/calendar/preview/")["Location"] == "/calendar/"  # the import is finished and forgotten
    assert counts() == after_first


def test_a_session_already_logged_at_that_time_is_not_doubled(as_ana, ana, ana_client):
    make_session(ana_client, starts_at=at("2026-03-03", 14), duration_minutes=45)
    import_calendar(as_ana)
    assert Session.objects.filter(client=ana_client, starts_at=at("2026-03-03", 14)).count() == 1
    assert sessions_of(ana) == EXPECTED | {(s.client.code, s.starts_at, s.duration_minutes)
                                           for s in Session.objects.filter(client=ana_client)}  # fmt: skip
    assert ImportedEvent.objects.owned_by(ana).count() == 8  # the logged session is remembered as imported


def test_titles_descriptions_and_uids_are_stored_nowhere(as_ana, ana_client):
    import_calendar(as_ana)
    answer(as_ana, upload(as_ana).content.decode())  # and an import in progress, kept in the web session
    stored = stored_text()
    assert "n-0101" in stored, "the scan must see what the import did store"
    for word in (*TITLES, DESCRIPTION, "Quokkafeather", "Pinecone", "Okonkwo", "Brambleworth", "weekly-wilhelmina"):
        assert word.lower() not in stored, word


def test_a_broken_file_changes_nothing(as_ana, ana, ana_client):
    import_calendar(as_ana)
    before = counts()
    response = upload(as_ana, b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026XX\r\nEND:VEVENT\r\nEND:VCALENDAR")
    assert response.status_code == 422 and "An event in the calendar cannot be read" in response.content.decode()
    assert counts() == before
    assert as_ana.get("/calendar/preview/").status_code == 302  # and no import is waiting


def test_an_import_that_fails_half_way_leaves_nothing_behind(as_ana, ana, ana_client, monkeypatch):
    recorded = []

    def record_then_fail(**fields):  # type: ignore[no-untyped-def]
        if len(recorded) == 3:
            raise RuntimeError("the disk is full")
        recorded.append(services_record_session(**fields))
        return recorded[-1]

    monkeypatch.setattr(services, "record_session", record_then_fail)
    with pytest.raises(RuntimeError):
        import_calendar(as_ana)
    assert len(recorded) == 3 and counts() == {"Session": 0, "Client": 1, "TitleMapping": 0, "ImportedEvent": 0,
                                               "WeekFigures": 0}  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"Client,When\nN-0007,2026-03-02 09:00\n", "This is not an iCalendar (.ics) file"),
     (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "The calendar holds no events.")],
)  # fmt: skip
def test_a_file_that_is_not_a_calendar_is_explained(as_ana, raw, message):
    response = upload(as_ana, raw)
    assert response.status_code == 422 and message in response.content.decode()


def test_a_window_without_events_is_explained(as_ana):
    response = upload(as_ana, since="2025-01-01", until="2025-01-31")
    assert response.status_code == 422 and "No event with a time falls between" in response.content.decode()


def test_a_file_or_an_address_is_needed(as_ana):
    response = as_ana.post("/calendar/", {"since": "2026-03-01", "until": "2026-04-30"})
    assert response.status_code == 422 and "Choose a calendar file, or give" in response.content.decode()


def test_the_window_offered_is_the_last_eight_weeks_up_to_today_in_her_zone(as_ana, ana):
    today = datetime.datetime.now(ana.zone).date()
    page = as_ana.get("/calendar/").content.decode()
    assert f'value="{today - datetime.timedelta(weeks=8)}"' in page and f'value="{today}"' in page


def test_a_new_code_follows_the_code_rules_and_the_title_comes_back_to_correct_it(as_ana, ana_client):
    response = answer(as_ana, upload(as_ana).content.decode(), {WEEKLY: "new:Wilhelmina"})
    page = response.content.decode()
    assert response.status_code == 422 and "needs at least one digit" in page and WEEKLY in page
    assert as_ana.get("/calendar/preview/").status_code == 302  # no choices were kept
    assert not Client.objects.filter(code="WILHELMINA").exists()


def test_a_code_that_is_not_hers_cannot_be_chosen(as_ana, ana_client, ben):
    make_client(ben, "B-0001")
    response = answer(as_ana, upload(as_ana).content.decode(), {VIDEO: "B-0001"})
    assert response.status_code == 422 and "Choose one of your client codes" in response.content.decode()


def test_a_typed_code_she_already_has_is_that_client(as_ana, ana, ana_client):
    import_calendar(as_ana, choices={INTAKE: "new:n-0007"})
    assert sessions_of(ana) >= {("N-0007", at("2026-03-11", 15), 60)}
    assert Client.objects.owned_by(ana).count() == 1


def test_another_therapist_sees_nothing_of_it(as_ana, ana, ana_client, ben):
    upload(as_ana)
    as_ben = sign_in(HttpClient(), ben)
    assert as_ben.get("/calendar/preview/")["Location"] == "/calendar/"  # Ana's import in progress is hers
    assert as_ben.post("/calendar/map/", {"choice-0": "N-0007"})["Location"] == "/calendar/"
    import_calendar(as_ana)
    page = upload(as_ben).content.decode()
    assert "N-0007" not in page and "N-0101" not in page and " selected>" not in page  # nothing remembered for him
    mine = set(TitleMapping.objects.owned_by(ana).values_list("title_digest", flat=True))
    import_calendar(as_ben, choices={WEEKLY: "new:B-0001", SUPERVISION: "skip"})
    assert not mine & set(TitleMapping.objects.owned_by(ben).values_list("title_digest", flat=True))
    assert {code for code, _, _ in sessions_of(ben)} == {"B-0001"} and len(sessions_of(ben)) == 5
    assert sessions_of(ana) == EXPECTED  # hers untouched


def test_a_deleted_imported_session_does_not_come_back(as_ana, ana, ana_client):
    import_calendar(as_ana)
    Session.objects.get(client__code="N-0101", starts_at=at("2026-03-20", 14)).delete()
    import_calendar(as_ana)
    assert sessions_of(ana) == EXPECTED - {("N-0101", at("2026-03-20", 14), 50)}


def test_a_calendar_above_django_s_memory_limit_is_never_written_to_a_temporary_file(as_ana, ana_client, settings,
                                                                                        tmp_path):  # fmt: skip
    """Its titles can name clients: it stays in memory (lib/uploads.py) however large, within the form's limit."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # Django's default handlers would spool this upload to disk
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")  # where they would write it: refused
    response = upload(as_ana)
    assert response.status_code == 200 and set(rows(response.content.decode())) == set(TITLES)
