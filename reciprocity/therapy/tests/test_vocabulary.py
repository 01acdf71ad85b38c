import pytest

from reciprocity.therapy.models import Technique
from tests.builders import make_session


def test_a_therapist_starts_with_the_suggested_techniques(ana):
    assert {"CBT", "EMDR", "DBT", "psychodynamic", "ACT"} <= set(
        Technique.objects.owned_by(ana).values_list("name", flat=True)
    )


def test_adding_renaming_and_retiring_a_technique(as_ana, ana):
    assert as_ana.post("/sessions/techniques/", {"action": "add", "name": " Sand   play "}).status_code == 302
    sand = Technique.objects.get(therapist=ana, name="Sand play")
    as_ana.post("/sessions/techniques/", {"action": "rename", "term": sand.pk, "name": "Sandplay"})
    as_ana.post("/sessions/techniques/", {"action": "retire", "term": sand.pk})
    sand.refresh_from_db()
    assert (sand.name, sand.is_retired) == ("Sandplay", True)
    assert "Sandplay" not in as_ana.get("/sessions/new/").content.decode()


def test_a_retired_technique_stays_on_the_sessions_it_labels(as_ana, ana, ana_client):
    emdr = Technique.objects.get(therapist=ana, name="EMDR")
    session = make_session(ana_client, techniques=[emdr])
    as_ana.post("/sessions/techniques/", {"action": "retire", "term": emdr.pk})
    assert list(session.techniques.all()) == [emdr]
    assert "EMDR" in as_ana.get(f"/sessions/{session.pk}/edit/").content.decode()


def test_a_duplicate_term_is_refused_whatever_its_case(as_ana, ana):
    response = as_ana.post("/sessions/techniques/", {"action": "add", "name": "emdr"})
    assert response.status_code == 422
    assert "already in your list" in response.content.decode()
    assert Technique.objects.filter(therapist=ana, name__iexact="emdr").count() == 1


def test_a_colleagues_term_cannot_be_touched(as_ana, ben):
    bens = Technique.objects.get(therapist=ben, name="CBT")
    assert as_ana.post("/sessions/techniques/", {"action": "retire", "term": bens.pk}).status_code == 404
    for raw in ("x", "²", "99999999999999999999", ""):
        assert as_ana.post("/sessions/techniques/", {"action": "retire", "term": raw}).status_code == 404
    bens.refresh_from_db()
    assert not bens.is_retired


def test_an_unknown_action_is_a_bad_request(as_ana):
    assert as_ana.post("/sessions/techniques/", {"action": "explode"}).status_code == 400


def test_suggested_terms_come_back_after_removal(as_ana, ana):
    Technique.objects.owned_by(ana).delete()
    as_ana.post("/sessions/techniques/", {"action": "suggested"})
    assert Technique.objects.owned_by(ana).count() == len(Technique.DEFAULTS)


def test_concerns_vocabulary_page_works_the_same_way(as_ana, ana):
    assert as_ana.post("/clients/concerns/", {"action": "add", "name": "burnout"}).status_code == 302
    assert ana.clients_concern_terms.filter(name="burnout").exists()


def test_a_rename_in_another_case_does_not_bring_the_old_spelling_back(as_ana, ana):
    cbt = Technique.objects.get(therapist=ana, name="CBT")
    assert as_ana.post("/sessions/techniques/", {"action": "rename", "term": cbt.pk, "name": "cbt"}).status_code == 302
    as_ana.post("/sessions/techniques/", {"action": "suggested"})
    assert list(Technique.objects.owned_by(ana).filter(name__iexact="cbt").values_list("name", flat=True)) == ["cbt"]


def test_the_database_refuses_the_same_term_in_another_case(ana):
    from reciprocity.lib.vocabulary import TermTaken, add_term

    with pytest.raises(TermTaken):
        add_term(Technique, ana, "emdr")


def test_a_rename_clash_is_shown_on_the_renamed_row(as_ana, ana):
    act = Technique.objects.get(therapist=ana, name="ACT")
    response = as_ana.post("/sessions/techniques/", {"action": "rename", "term": act.pk, "name": "emdr"})
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="term-{act.pk}-error"' in html and "already in your list" in html
    act.refresh_from_db()
    assert act.name == "ACT"
