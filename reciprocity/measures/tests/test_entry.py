import datetime

from django.utils import timezone

from reciprocity.measures.models import Administration
from tests.builders import make_client, make_session


def phq9_post(values, **extra):
    return {f"item_{n}": v for n, v in enumerate(values, start=1) if v is not None} | extra


def url(client_obj, instrument="phq9"):
    return f"/measures/clients/{client_obj.code}/answers/{instrument}/"


def test_the_therapist_enters_answers_and_sees_the_scores(as_ana, ana_client, ana_session):
    response = as_ana.post(url(ana_client), phq9_post([2, 2, 2, 1, 1, 1, 1, 1, 0], session=ana_session.pk))
    administration = Administration.objects.get()
    assert response.status_code == 302 and response["Location"] == administration.get_absolute_url()
    assert (administration.total, administration.band, administration.session) == (11, "Moderate", ana_session)
    assert administration.source == "therapist" and administration.therapist == ana_client.therapist
    html = as_ana.get(administration.get_absolute_url()).content.decode()
    assert "Moderate" in html and "Pfizer" in html


def test_out_of_range_or_missing_answers_store_nothing(as_ana, ana_client):
    assert as_ana.post(url(ana_client), phq9_post([1] * 8 + [9])).status_code == 422
    response = as_ana.post(url(ana_client), phq9_post([1] * 6 + [None] * 3))
    assert response.status_code == 422 and "at most 2 may be unanswered" in response.content.decode()
    assert not Administration.objects.exists()


def test_a_session_of_another_client_is_refused(as_ana, ana, ana_client):
    other = make_session(make_client(ana, "N-0100"))
    response = as_ana.post(url(ana_client), phq9_post([1] * 9, session=other.pk))
    assert response.status_code == 422 and not Administration.objects.exists()


def test_a_therapist_measure_cannot_be_entered_for_a_client(as_ana, ana_client):
    assert as_ana.get(url(ana_client, "proqol5")).status_code == 404
    assert as_ana.get(url(ana_client, "unknown")).status_code == 404


def test_a_future_completion_time_is_refused(as_ana, ana_client):
    future = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert as_ana.post(url(ana_client), phq9_post([1] * 9, completed_at=future)).status_code == 422


def test_progress_shows_the_trajectory_and_the_change_status(as_ana, ana_client):
    first = timezone.now() - datetime.timedelta(days=60)
    as_ana.post(url(ana_client), phq9_post([2, 2, 2, 2, 2, 2, 2, 1, 0], completed_at=first.strftime("%Y-%m-%dT%H:%M")))
    as_ana.post(url(ana_client), phq9_post([1, 1, 1, 1, 1, 1, 1, 1, 0]))
    html = as_ana.get(f"/measures/clients/{ana_client.code}/").content.decode()
    assert "Reliable recovery" in html and "15 → 8" in html
    assert 'class="chart trajectory"' in html and "reliable" in html
