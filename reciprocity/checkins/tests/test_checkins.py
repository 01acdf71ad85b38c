import datetime

from django.utils import timezone

from reciprocity.checkins.selectors import due_checkins
from reciprocity.measures import registry
from reciprocity.measures.models import Administration
from reciprocity.measures.services import record_administration


def proqol_post(value=3):
    return {f"item_{n}": value for n in range(1, 31)}


def test_a_new_therapist_is_due_every_scheduled_checkin(ana):
    due = {d.instrument.id for d in due_checkins(ana)}
    scheduled = {i.id for i in registry.for_audience("therapist") if i.checkin_every_days}
    assert due == scheduled and "proqol5" in due


def test_a_checkin_is_due_again_after_its_interval(ana):
    proqol = registry.get("proqol5")
    answers = dict.fromkeys((i.id for i in proqol.items), 3)
    record_administration(therapist=ana, instrument=proqol, answers=answers)
    assert "proqol5" not in {d.instrument.id for d in due_checkins(ana)}
    later = timezone.now() + datetime.timedelta(days=proqol.checkin_every_days)
    assert "proqol5" in {d.instrument.id for d in due_checkins(ana, now=later)}


def test_the_therapist_checks_in_and_sees_bands_and_cutoffs(as_ana, ana):
    assert "ProQOL" in as_ana.get("/").content.decode()  # the reminder on Today
    response = as_ana.post("/checkins/proqol5/new/", proqol_post(4))
    assert response.status_code == 302
    own = Administration.objects.get()
    assert own.client is None and own.source == "self"
    assert own.scale_scores["secondary_traumatic_stress"] == {
        "score": 40.0,
        "band": "Moderate",
        "prorated": False,
        "missing": 0,
    }
    html = as_ana.get("/checkins/").content.decode()
    assert "Cut-off: 42" in html and "Moderate" in html


def test_a_colleague_never_sees_anothers_checkins(client, ana, ben):
    proqol = registry.get("proqol5")
    record_administration(therapist=ana, instrument=proqol, answers=dict.fromkeys((i.id for i in proqol.items), 5))
    client.force_login(ben)
    assert "Compassion" not in client.get("/checkins/").content.decode().split("History")[1]
    assert client.get(f"/measures/answers/{Administration.objects.get().pk}/").status_code == 404


def test_a_client_measure_is_not_a_checkin(as_ana):
    assert as_ana.get("/checkins/phq9/new/").status_code == 404
    assert as_ana.get("/checkins/nothing/new/").status_code == 404


def test_incomplete_checkins_are_refused_when_the_manual_allows_no_gaps(as_ana):
    answers = proqol_post(3)
    del answers["item_5"]
    response = as_ana.post("/checkins/proqol5/new/", answers)
    assert response.status_code == 422 and not Administration.objects.exists()


def test_due_checkins_take_one_query(ana, django_assert_num_queries):
    with django_assert_num_queries(1):
        due_checkins(ana)
