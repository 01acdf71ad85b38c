import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from reciprocity.measures import registry
from reciprocity.measures.fhir import questionnaire, questionnaire_response
from reciprocity.measures.models import Administration
from reciprocity.measures.services import record_administration


@pytest.mark.parametrize("instrument", sorted(registry.shipped().values(), key=lambda i: i.id), ids=lambda i: i.id)
def test_every_instrument_is_a_valid_fhir_questionnaire(instrument):
    resource = questionnaire(instrument)
    parsed = Questionnaire.model_validate(resource)
    assert len([i for i in parsed.item if i.type == "choice"]) == len(instrument.items)


def test_the_phq9_questionnaire_carries_its_loinc_codes():
    resource = questionnaire(registry.get("phq9"))
    assert resource["code"][0] == {
        "system": "http://loinc.org",
        "code": "44249-1",
        "display": "Patient Health Questionnaire-9",
    }
    assert resource["item"][8]["code"][0]["code"] == "44260-8"
    assert resource["item"][-1]["code"][0]["code"] == "44261-6"


@pytest.fixture
def answered(ana, ana_client):
    return record_administration(
        therapist=ana, instrument=registry.get("phq9"), client=ana_client,
        answers={"1": 3, "2": 2, "3": 1, "4": 0, "5": 1, "6": 2, "7": 3, "8": 0, "9": 0},
    )  # fmt: skip


def test_answers_are_a_valid_questionnaire_response_with_only_the_client_code(as_ana, answered):
    response = as_ana.get(f"/measures/answers/{answered.pk}/fhir/")
    data = json.loads(response.content)
    parsed = QuestionnaireResponse.model_validate(data)
    assert parsed.status == "completed" and data["subject"]["identifier"]["value"] == "N-0007"
    assert {"linkId": "scale-total", "text": "Depression severity", "answer": [{"valueDecimal": 12.0}]} in data["item"]


def test_answers_to_a_questionnaire_no_longer_installed_are_not_exported_and_the_api_says_why(as_ana, answered):
    Administration.objects.filter(pk=answered.pk).update(instrument_id="retired")
    response = as_ana.get(f"/api/v1/measures/responses/{answered.pk}/fhir")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "The questionnaire retired is no longer installed, so these answers cannot be exported as FHIR."
    }


def test_a_response_imports_back_to_the_same_answers(as_ana, answered):
    document = json.dumps(questionnaire_response(answered, registry.get("phq9"))).encode()
    response = as_ana.post("/measures/clients/N-0007/import/", {"file": SimpleUploadedFile("qr.json", document)})
    assert response.status_code == 302
    imported = Administration.objects.exclude(pk=answered.pk).get()
    assert (imported.answers, imported.total, imported.source) == (answered.answers, 12, "import")
    assert imported.completed_at == answered.completed_at


def _qr(**changes):
    unsaved = Administration(
        pk=1, answers={str(n): 1 for n in range(1, 10)}, scale_scores={}, instrument_version="1",
        completed_at=timezone.now(),
    )  # fmt: skip
    return json.dumps(questionnaire_response(unsaved, registry.get("phq9")) | changes).encode()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"{not json", "The file is not valid JSON."),
        (json.dumps({"resourceType": "Patient"}).encode(), "This is not a FHIR QuestionnaireResponse"),
        (_qr(status="in-progress"), "Only a completed QuestionnaireResponse"),
        (_qr(questionnaire="urn:other:thing"), "is not one Reciprocity knows"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": {"code": "7"}}]}]), "7 is not one of 0, 1, 2, 3"),
        (_qr(item=[{"linkId": "42", "answer": [{"valueInteger": 1}]}]), "Item 42 is not part of PHQ-9"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueInteger": 1}]}]), "at most 2 may be unanswered"),
        (_qr(authored="yesterday"), "is not a date and time"),
        (_qr(authored="2099-01-01T10:00:00+00:00"), "must be a past date and time"),
        (_qr(authored="9999-12-31T23:59:59-14:00"), "must be a past date and time"),
        (_qr(item=5), "item must be a list"),
        (_qr(item=[{"linkId": "1", "answer": {"valueInteger": 1}}]), "answer must be a list"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": ["1"]}]}]), "valueCoding must be an object"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": {"code": 1.5}}]}]), "is not a whole number"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": {"code": "--1"}}]}]), "is not a whole number"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": {"code": "\u00b2"}}]}]), "is not a whole number"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": {"code": "1\u0660"}}]}]), "is not a whole number"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueCoding": {"code": "9" * 5000}}]}]), "is not a whole number"),
        (_qr(item=[{"linkId": "1", "answer": [{"valueInteger": 10**20}]}]), "is not a whole number"),
        (_qr(subject={"identifier": {"system": "urn:reciprocity:client-code", "value": "N-0099"}}), "is about N-0099"),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not valid JSON."),
    ],
)
def test_a_bad_import_is_explained_and_stores_nothing(as_ana, ana_client, document, message):
    response = as_ana.post("/measures/clients/N-0007/import/", {"file": SimpleUploadedFile("qr.json", document)})
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Administration.objects.exists()
