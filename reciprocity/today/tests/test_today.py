import datetime

from django.utils import timezone

from tests.builders import make_client, make_reflection, make_session


def test_today_marks_sessions_still_without_a_reflection(as_ana, ana_client):
    now = timezone.now()
    reflected = make_session(ana_client, starts_at=now - datetime.timedelta(days=2))
    make_reflection(reflected)
    waiting = make_session(ana_client, starts_at=now - datetime.timedelta(days=3))
    html = as_ana.get("/").content.decode()
    assert f"/reflections/new/?session={waiting.pk}" in html
    assert f"/reflections/new/?session={reflected.pk}" not in html
    assert "reflected" in html


def test_today_shows_neither_old_sessions_nor_other_peoples(as_ana, ana_client, ben):
    old = make_session(ana_client, starts_at=timezone.now() - datetime.timedelta(days=30))
    bens = make_session(make_client(ben, "B-0001"), starts_at=timezone.now() - datetime.timedelta(hours=1))
    html = as_ana.get("/").content.decode()
    assert f"session={old.pk}" not in html and f"session={bens.pk}" not in html and "B-0001" not in html


def test_an_upcoming_session_is_listed_today_but_not_offered_for_reflection(ana, ana_client):
    from django.template.loader import render_to_string

    from reciprocity.therapy.selectors import today_overview

    noon_tomorrow = (timezone.now() + datetime.timedelta(days=1)).astimezone(ana.zone).replace(hour=12, minute=0)
    later = make_session(ana_client, starts_at=noon_tomorrow)  # half an hour on, the same day at any hour
    overview = today_overview(ana, now=later.starts_at - datetime.timedelta(minutes=30))
    assert overview.today == [later]
    html = render_to_string("therapy/session_items.html", {"sessions": overview.today, "show_client": True})
    assert "upcoming" in html and f"session={later.pk}" not in html


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_upcoming_session_page_says_it_has_not_happened(as_ana, ana_client):
    later = make_session(ana_client, starts_at=timezone.now() + datetime.timedelta(days=1))
    html = as_ana.get(f"/sessions/{later.pk}/").content.decode()
    assert "This session has not happened yet." in html
    assert f"/reflections/new/?session={later.pk}" not in html


def test_today_begins_at_midnight_on_the_therapists_clock(ana, ana_client):
    from reciprocity.therapy.selectors import today_overview

    now = datetime.datetime(2026, 4, 2, 8, 0, tzinfo=datetime.UTC)  # 09:00 in Lisbon
    after_midnight = make_session(ana_client, starts_at=datetime.datetime(2026, 4, 1, 23, 30, tzinfo=datetime.UTC))
    before_midnight = make_session(ana_client, starts_at=datetime.datetime(2026, 4, 1, 22, 30, tzinfo=datetime.UTC))
    overview = today_overview(ana, now=now)
    assert overview.today == [after_midnight]
    assert overview.waiting == [before_midnight]


def test_the_weeks_reflected_sessions_are_read_only_when_their_list_is_opened(as_ana, ana_client, ben):
    now = timezone.now()
    reflected = make_session(ana_client, starts_at=now - datetime.timedelta(days=2))
    make_reflection(reflected)
    bens = make_session(make_client(ben, "B-0001"), starts_at=now - datetime.timedelta(days=2))
    make_reflection(bens)
    response = as_ana.get("/")
    today = response.content.decode()
    assert "Reflected this past week (1)" in today and f"/sessions/{reflected.pk}/" not in today
    assert response.context["overview"].reflected_count == 1  # counted in the database, not read
    assert 'hx-get="/reflected/"' in today  # the folded list asks for them when opened; without JS, a link

    fragment = as_ana.get("/reflected/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert f"/sessions/{reflected.pk}/" in html and "<html" not in html
    assert f"/sessions/{bens.pk}/" not in html and "B-0001" not in html
    page = as_ana.get("/reflected/").content.decode()
    assert "<html" in page and f"/sessions/{reflected.pk}/" in page
