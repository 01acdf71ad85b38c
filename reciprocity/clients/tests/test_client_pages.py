import datetime

from reciprocity.clients.models import Client, Concern
from tests.builders import make_client, make_session


def client_post(**overrides):
    return {"code": "n-0042", "started_on": "2026-02-01", "ended_on": ""} | overrides


def test_therapist_adds_a_client_under_a_code(as_ana, ana):
    anxiety = Concern.objects.get(therapist=ana, name="anxiety")
    response = as_ana.post("/clients/new/", client_post(concerns=[anxiety.pk]))
    assert response.status_code == 302 and response["Location"] == "/clients/N-0042/"
    added = Client.objects.get()
    assert (added.therapist, added.code, added.started_on) == (ana, "N-0042", datetime.date(2026, 2, 1))
    assert list(added.concerns.all()) == [anxiety]


def test_the_client_form_has_no_place_for_identifying_details_and_says_why(as_ana):
    html = as_ana.get("/clients/new/").content.decode()
    assert "never stores client names, birth dates or contact details" in html
    for field in ("name", "birth", "email", "phone", "address"):
        assert f'name="{field}' not in html
    stored = {f.name for f in Client._meta.get_fields() if f.concrete or (f.many_to_many and not f.auto_created)}
    assert stored == {"id", "therapist", "code", "concerns", "started_on", "ended_on", "created_at"}


def test_the_form_suggests_the_next_free_code(as_ana, ana):
    make_client(ana, "C-0003")
    assert 'value="C-0004"' in as_ana.get("/clients/new/").content.decode()


def test_a_duplicate_code_is_refused_in_plain_words(as_ana, ana_client):
    response = as_ana.post("/clients/new/", client_post(code="n-0007"))
    assert response.status_code == 422
    assert "You already have a client with the code N-0007." in response.content.decode()
    assert Client.objects.count() == 1


def test_two_therapists_may_use_the_same_code(client, ben, ana_client):
    client.force_login(ben)
    assert client.post("/clients/new/", client_post(code="N-0007")).status_code == 302
    assert Client.objects.filter(code="N-0007").count() == 2


def test_a_name_as_code_is_refused(as_ana):
    response = as_ana.post("/clients/new/", client_post(code="Maria"))
    assert response.status_code == 422
    assert "so that it can never be a client&#x27;s name" in response.content.decode()
    assert not Client.objects.exists()


def test_an_end_before_the_start_is_refused(as_ana):
    response = as_ana.post("/clients/new/", client_post(ended_on="2026-01-01"))
    assert response.status_code == 422
    assert "The end date cannot be before the start date." in response.content.decode()


def test_a_colleagues_concern_cannot_be_attached(as_ana, ben):
    bens = Concern.objects.get(therapist=ben, name="grief")
    response = as_ana.post("/clients/new/", client_post(concerns=[bens.pk]))
    assert response.status_code == 422
    assert not Client.objects.exists()


def test_ending_a_client_keeps_their_sessions(as_ana, ana_session):
    code = ana_session.client.code
    response = as_ana.post(
        f"/clients/{code}/edit/", client_post(code=code, started_on="2026-01-05", ended_on="2026-03-01")
    )
    assert response.status_code == 302
    ana_session.client.refresh_from_db()
    assert not ana_session.client.is_active and ana_session.client.sessions.count() == 1
    link = f'href="/clients/{code}/"'
    assert link not in as_ana.get("/clients/").content.decode()
    assert link in as_ana.get("/clients/?status=ended").content.decode()


def test_renaming_a_code_to_a_taken_one_is_refused(as_ana, ana, ana_client):
    make_client(ana, "N-0008")
    response = as_ana.post("/clients/N-0007/edit/", client_post(code="N-0008", started_on="2026-01-05"))
    assert response.status_code == 422
    ana_client.refresh_from_db()
    assert ana_client.code == "N-0007"


def test_client_page_lists_only_that_clients_sessions(as_ana, ana, ana_client):
    own = make_session(ana_client)
    other = make_session(make_client(ana, "N-0009"))
    html = as_ana.get("/clients/n-0007/").content.decode()
    assert f"/sessions/{own.pk}/" in html and f"/sessions/{other.pk}/" not in html


def test_client_list_uses_a_fixed_number_of_queries(as_ana, ana, django_assert_max_num_queries):
    for n in range(20):
        make_client(ana, f"L-{n + 1:04d}")
    with django_assert_max_num_queries(6):
        assert as_ana.get("/clients/").status_code == 200
