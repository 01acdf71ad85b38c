"""A prorated score says so wherever it appears, and answers in another published coding are kept as given:
the entry form, the answers page, the client's measures page, the API, FHIR and the client's PDF."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pypdf import PdfReader

from reciprocity.measures import registry
from reciprocity.measures.fhir import PRORATED, parse_questionnaire_response, questionnaire_response
from reciprocity.measures.models import Administration
from reciprocity.measures.services import record_administration
from reciprocity.practice.tokens import create_token


def post(values, **extra):
    return {f"item_{n}": v for n, v in enumerate(values, start=1) if v is not None} | extra


def url(client_obj, instrument="phq9"):
    return f"/measures/clients/{client_obj.code}/answers/{instrument}/"


@pytest.fixture
def prorated(ana, ana_client):
    """The acceptance example: PHQ-9 with item 5 blank, 9 (Mild) prorated from the 8 answered."""
    answers = dict(zip("123456789", [2, 2, 1, 1, None, 1, 1, 0, 0], strict=True))
    return record_administration(therapist=ana, instrument=registry.get("phq9"), client=ana_client, answers=answers)


def test_the_form_takes_blank_items_the_rule_allows_and_says_the_rule(as_ana, ana_client):
    page = as_ana.get(url(ana_client)).content.decode()
    assert "Up to 2 items may be left blank" in page
    response = as_ana.post(url(ana_client), post([2, 2, 1, 1, None, 1, 1, 0, 0]))
    administration = Administration.objects.get()
    assert response.status_code == 302 and administration.total == 9 and administration.band == "Mild"
    assert administration.answers["5"] is None and administration.is_prorated
    assert administration.scale_scores["total"] == {"score": 9.0, "band": "Mild", "prorated": True, "missing": 1}


def test_the_form_marks_each_blank_item_when_too_many_are_blank(as_ana, ana_client):
    response = as_ana.post(url(ana_client), post([2, None, 1, None, 1, None, 1, 0, 0]))
    html = response.content.decode()
    assert response.status_code == 422 and not Administration.objects.exists()
    assert "3 of 9 items are unanswered and at most 2 may be unanswered" in html
    assert html.count("Not answered.") == 3


def test_the_answers_page_says_prorated_and_shows_item_9_not_answered(as_ana, ana, ana_client):
    answers = dict(zip("123456789", [3, 3, 3, 3, 3, 3, 3, 3, None], strict=True))
    administration = record_administration(
        therapist=ana, instrument=registry.get("phq9"), client=ana_client, answers=answers
    )
    html = as_ana.get(administration.get_absolute_url()).content.decode()
    assert "prorated" in html and "1 item was unanswered" in html
    assert "Item 9 (thoughts of being better off dead or of self-harm) was not answered" in html
    assert "Risk flag" not in html and not administration.flags


def test_the_client_measures_page_marks_the_prorated_score(as_ana, ana_client, prorated):
    html = as_ana.get(f"/measures/clients/{ana_client.code}/").content.decode()
    assert 'class="badge">prorated</span>' in html
    assert "Up to 2 items may be left blank" in html


def test_an_outsider_cannot_see_or_enter_answers(client, ben, ana_client, prorated):
    client.force_login(ben)
    assert client.get(prorated.get_absolute_url()).status_code == 404
    assert client.get(url(ana_client, "k10") + "?coding=us").status_code == 404
    assert client.post(url(ana_client), post([1] * 8 + [None])).status_code == 404


def test_the_api_says_prorated_and_how_many_items_were_missing(client, ana, prorated):
    _, raw = create_token(user=ana, name="test", scope="read")
    data = client.get(f"/api/v1/measures/responses/{prorated.pk}", headers={"Authorization": f"Bearer {raw}"}).json()
    assert data["prorated"] is True and data["coding"] == ""
    assert data["scales"]["total"] == {"score": 9.0, "band": "Mild", "prorated": True, "missing": 1, "bands": {}}
    assert data["answers"]["5"] is None


def test_fhir_carries_the_prorated_extension_and_stays_valid(prorated):
    resource = questionnaire_response(prorated, registry.get("phq9"))
    QuestionnaireResponse.model_validate(resource)
    total = next(i for i in resource["item"] if i["linkId"] == "scale-total")
    assert total["answer"] == [{"valueDecimal": 9.0}]
    assert total["extension"][0]["url"] == PRORATED
    assert "1 item was unanswered" in total["extension"][0]["valueString"]
    assert "NHS Data Dictionary" in total["extension"][0]["valueString"]
    assert "5" not in {i["linkId"] for i in resource["item"]}  # a blank item is left out, never imputed


def test_the_client_pdf_marks_the_prorated_score(as_ana, ana_client, prorated):
    today = datetime.date.today()
    period = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    response = as_ana.get(reverse("reports:client", args=[ana_client.code, "pdf"]), period)
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "9 (prorated)" in text and "Up to 2 items may be left blank" in text


def test_k10_entered_in_the_us_coding_is_kept_as_given_and_scored_on_both_bandings(as_ana, ana_client):
    page = as_ana.get(url(ana_client, "k10") + "?coding=us").content.decode()
    assert "None of the time (0)" in page and 'name="coding" value="us"' in page
    response = as_ana.post(url(ana_client, "k10"), post([2, 2, 2, 2, 2, 2, 1, 1, 1, 0], coding="us"))
    administration = Administration.objects.get()
    assert response.status_code == 302
    assert administration.coding == "us" and administration.answers["10"] == 0
    assert (administration.total, administration.band) == (25, "High")
    assert administration.scale_scores["total"]["bands"] == {
        "abs": "High",
        "andrews_slade": "Likely to have a moderate disorder",
    }
    html = as_ana.get(administration.get_absolute_url()).content.decode()
    assert "Andrews &amp; Slade (2001): Likely to have a moderate disorder" in html
    assert "15 on the US coding (0-4 per item, total 0-40)" in html
    assert "None of the time (0)" in html  # the answer as given


def test_k10_in_the_australian_coding_by_default(as_ana, ana_client):
    page = as_ana.get(url(ana_client, "k10")).content.decode()
    assert "None of the time (1)" in page
    as_ana.post(url(ana_client, "k10"), post([3, 3, 3, 3, 3, 3, 2, 2, 2, 1], coding="au"))
    administration = Administration.objects.get()
    assert (administration.coding, administration.total) == ("", 25)


def test_a_k10_answer_outside_the_chosen_coding_or_an_unknown_coding_is_refused(as_ana, ana_client):
    assert as_ana.post(url(ana_client, "k10"), post([5] + [1] * 9, coding="us")).status_code == 422
    response = as_ana.post(url(ana_client, "k10"), post([1] * 10, coding="uk"))
    assert response.status_code == 422 and "Choose one of the codings shown." in response.content.decode()
    assert not Administration.objects.exists()


def test_fhir_exports_us_coded_answers_in_the_questionnaires_own_numbering(ana, ana_client):
    k10 = registry.get("k10")
    administration = record_administration(
        therapist=ana, instrument=k10, client=ana_client, coding="us", answers={str(n): 0 for n in range(1, 11)}
    )
    resource = questionnaire_response(administration, k10)
    QuestionnaireResponse.model_validate(resource)
    first = resource["item"][0]["answer"][0]["valueCoding"]
    assert (first["code"], first["display"]) == ("1", "None of the time")
    _, answers, _, _ = parse_questionnaire_response(resource, {"k10": k10})
    assert set(answers.values()) == {1}


def test_older_rows_learn_whether_they_were_prorated(ana, ana_client):
    k10 = registry.get("k10")
    older = record_administration(
        therapist=ana, instrument=k10, client=ana_client, answers={str(n): 3 for n in range(1, 10)} | {"10": None}
    )
    Administration.objects.filter(pk=older.pk).update(scale_scores={"total": {"score": 30.0, "band": "Very high"}})
    migration = importlib.import_module("reciprocity.measures.migrations.0005_scale_scores_say_prorated")
    migration.forwards(apps, None)
    older.refresh_from_db()
    assert older.scale_scores["total"] == {
        "score": 30.0, "band": "Very high", "prorated": True, "missing": 1,
        "bands": {"abs": "Very high", "andrews_slade": "Likely to have a severe disorder"},
    }  # fmt: skip
    migration.backwards(apps, None)
    older.refresh_from_db()
    assert older.scale_scores["total"] == {"score": 30.0, "band": "Very high"}
