"""A practice's licensed translation of a questionnaire: added with the command, chosen for a client link,
shown to the client in its own words with the page around it in the same language, and scored as the
instrument it translates.

The Spanish PHQ-9 here is a test fixture with placeholder item texts, written for the test: no translation
of a questionnaire ships in the package.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from reciprocity.measures import registry
from reciprocity.measures.definitions import SHIPPED_DIR
from reciprocity.measures.models import Administration, ClientLink
from reciprocity.measures.personal_data import responses_table
from reciprocity.measures.scoring import score
from reciprocity.practice.models import Practice
from reciprocity.practice.tokens import create_token
from tests.builders import make_client, make_user

ANSWERS = [2, 1, 3, 0, 1, 2, 1, 0, 1]  # 11, "Moderate", and item 9 raises the risk flag


def phq9_post(values):
    return {f"item_{n}": v for n, v in enumerate(values, start=1) if v is not None}


def translation_of_phq9(language="es", **changes):
    """A translation of the shipped PHQ-9 file: the same items, answer values and scoring, other words."""
    data = json.loads((SHIPPED_DIR / "phq9.json").read_text())
    data |= {
        "id": f"phq9_{language.replace('-', '_')}",
        "translation_of": "phq9",
        "language": language,
        "name": "Cuestionario sobre la salud del paciente (texto de prueba)",
        "instructions": "Instrucciones de prueba: ¿con qué frecuencia te han molestado estos problemas?",
        "response_sets": {
            "frecuencia": [
                {"value": 0, "label": "Nunca (prueba)"},
                {"value": 1, "label": "Varios días (prueba)"},
                {"value": 2, "label": "Más de la mitad de los días (prueba)"},
                {"value": 3, "label": "Casi todos los días (prueba)"},
            ]
        },
        "items": [
            {"id": item["id"], "text": f"Pregunta de prueba número {item['id']}", "response_set": "frecuencia"}
            for item in data["items"]
        ],
    }
    data["scales"][0] |= {"name": "Gravedad de la depresión (prueba)"}
    data["flags"][0] |= {"client_message": "Mensaje de prueba: habla hoy con alguien de confianza."}
    return data | changes


def write(tmp_path: Path, data: dict, name: str = "translation.json") -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def spanish(data_dir, tmp_path):
    run("instruments", "add", str(write(tmp_path, translation_of_phq9())))
    return registry.version("phq9", "es")


def make_link(as_ana, ana_client, choice):
    response = as_ana.post(f"/measures/clients/{ana_client.code}/links/", {"instrument": choice})
    assert response.status_code == 200, response.content.decode()
    return response.content.decode().split("/q/")[1].split("/")[0]


def test_a_translation_is_added_with_the_command_and_listed_as_a_version(spanish, data_dir):
    assert (data_dir / "instruments" / "phq9_es.json").exists()
    assert list(registry.versions("phq9")) == ["en", "es"]
    assert registry.versions("phq9")["es"] == spanish and spanish.original_id == "phq9"
    # Never an instrument of its own: not to be chosen, charted or looked up by its id.
    assert "phq9_es" not in registry.all_instruments()
    assert all(i.id != "phq9_es" for i in registry.for_audience("client"))
    with pytest.raises(registry.UnknownInstrument):
        registry.get("phq9_es")
    listed = run("instruments", "list").splitlines()
    assert any(line.split() == ["phq9", "PHQ-9", "client", "shipped", "en"] for line in listed)
    assert any(line.split() == ["phq9_es", "PHQ-9", "client", "added", "es", "phq9"] for line in listed)


def test_the_link_form_offers_the_languages_of_each_questionnaire(spanish, as_ana, ana_client):
    html = as_ana.get(f"/measures/clients/{ana_client.code}/").content.decode()
    assert '<optgroup label="PHQ-9 — Patient Health Questionnaire-9">' in html
    assert '<option value="phq9">PHQ-9 · English</option>' in html
    assert '<option value="phq9:es">PHQ-9 · Spanish (español)</option>' in html
    assert '<option value="gad7">GAD-7 — ' in html  # one version: offered as before
    assert "choose the language the client reads it in" in html


def test_a_language_the_questionnaire_has_no_version_in_is_refused(spanish, as_ana, ana_client):
    for choice in ("phq9:de", "gad7:es", "phq9_es"):
        response = as_ana.post(f"/measures/clients/{ana_client.code}/links/", {"instrument": choice})
        assert response.status_code == 302
    assert not ClientLink.objects.exists()


def test_the_client_answers_in_spanish_and_it_scores_as_the_english(spanish, as_ana, ana_client):
    token = make_link(as_ana, ana_client, "phq9:es")
    link = ClientLink.objects.get()
    assert (link.instrument_id, link.language) == ("phq9", "es")

    anonymous = Client()
    page = anonymous.get(f"/q/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Language"] == "es"
    assert '<html lang="es">' in html
    assert "Pregunta de prueba número 1" in html and "Casi todos los días (prueba)" in html
    assert "Instrucciones de prueba" in html
    assert "Little interest or pleasure" not in html and "Nearly every day" not in html
    assert "Enviar mis respuestas" in html and "Send my answers" not in html  # the page's own words
    assert "Tus respuestas solo llegan a tu terapeuta" in html

    done = anonymous.post(f"/q/{token}/", phq9_post(ANSWERS)).content.decode()
    assert "Gracias" in done and "Tus respuestas se han enviado" in done
    assert "Mensaje de prueba: habla hoy con alguien de confianza." in done  # the flag, in the version's words
    answered = Administration.objects.get()
    assert (answered.instrument_id, answered.language, answered.source) == ("phq9", "es", "client_link")

    english = score(registry.get("phq9"), dict(zip([str(n) for n in range(1, 10)], ANSWERS, strict=True)))
    assert (answered.total, answered.band) == (english.total, english.band.label) == (11, "Moderate")
    assert answered.scale_scores == {"total": english.scales["total"].stored(registry.get("phq9").scale("total"))}
    assert answered.flags == ["self_harm_thoughts"]

    gone = anonymous.get(f"/q/{token}/")
    assert gone.status_code == 410 and "Este enlace ya no está abierto" in gone.content.decode()


def test_the_same_answers_in_english_and_spanish_are_stored_alike_and_charted_together(spanish, as_ana, ana_client):
    for choice in ("phq9", "phq9:es"):
        Client().post(f"/q/{make_link(as_ana, ana_client, choice)}/", phq9_post(ANSWERS))
    english, spanish_answers = Administration.objects.order_by("pk")
    assert (english.language, spanish_answers.language) == ("en", "es")
    for field in ("instrument_id", "instrument_version", "answers", "total", "band", "scale_scores", "flags"):
        assert getattr(english, field) == getattr(spanish_answers, field), field
    page = as_ana.get(f"/measures/clients/{ana_client.code}/").content.decode()
    assert page.count("<h3>PHQ-9 · Depression severity</h3>") == 1  # one course, both scores on it


def test_the_therapist_sees_which_language_was_used(spanish, as_ana, ana_client, ana):
    Client().post(f"/q/{make_link(as_ana, ana_client, 'phq9:es')}/", phq9_post(ANSWERS))
    answered = Administration.objects.get()
    html = as_ana.get(answered.get_absolute_url()).content.decode()
    assert "answered in Spanish (español)" in html
    assert "Little interest or pleasure in doing things" in html  # the therapist reads the instrument's own file
    links = as_ana.get(f"/measures/clients/{ana_client.code}/").content.decode()
    assert "PHQ9 · Spanish (español) · made" in links
    _, token = create_token(user=ana, name="test", scope="read")
    api = Client().get(f"/api/v1/measures/responses/{answered.pk}", headers={"authorization": f"Bearer {token}"})
    assert (api.json()["instrument"], api.json()["language"]) == ("phq9", "es")
    questionnaires = responses_table(ana)
    assert questionnaires.rows[0][questionnaires.header.index("language")] == "es"


def test_the_link_created_page_names_the_language(spanish, as_ana, ana_client):
    response = as_ana.post(f"/measures/clients/{ana_client.code}/links/", {"instrument": "phq9:es"})
    assert "It opens PHQ-9 in Spanish (español) and nothing else" in response.content.decode()


def test_a_language_reciprocity_does_not_speak_gets_its_items_and_english_around_them(data_dir, tmp_path, as_ana,
                                                                                      ana_client):  # fmt: skip
    run("instruments", "add", str(write(tmp_path, translation_of_phq9("fr"))))
    token = make_link(as_ana, ana_client, "phq9:fr")
    page = Client().get(f"/q/{token}/", headers={"accept-language": "es"})
    html = page.content.decode()
    assert page["Content-Language"] == "en-gb" and '<html lang="en-gb">' in html
    assert '<div lang="fr">' in html and "Pregunta de prueba número 9" in html
    assert "Send my answers" in html


def test_an_english_link_stays_english_whatever_the_browser_asks(spanish, as_ana, ana_client):
    token = make_link(as_ana, ana_client, "phq9")
    html = Client().get(f"/q/{token}/", headers={"accept-language": "de"}).content.decode()
    assert "Little interest or pleasure in doing things" in html and "Send my answers" in html


def test_a_refusal_on_the_spanish_page_is_in_spanish(spanish, as_ana, ana_client):
    token = make_link(as_ana, ana_client, "phq9:es")
    response = Client().post(f"/q/{token}/", phq9_post([1] * 6 + [None] * 3))
    html = response.content.decode()
    assert response.status_code == 422 and not Administration.objects.exists()
    assert "Gravedad de la depresión (prueba)" in html  # the scale named in the version's words
    assert "No se guardó nada." in html


def test_links_and_answers_made_before_translations_say_english(as_ana, ana_client, ana):
    make_link(as_ana, ana_client, "phq9")
    assert ClientLink.objects.get().language == "en"
    as_ana.post(f"/measures/clients/{ana_client.code}/answers/phq9/", phq9_post(ANSWERS))
    assert Administration.objects.get().language == "en"


def _without(data, key):
    return {k: v for k, v in data.items() if k != key}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"translation_of": "phq10"}, "translation_of 'phq10' is not an instrument Reciprocity knows. Known: "),
        ({"language": "en"}, "phq9 has a version in 'en' already (its own file); each language is added once."),
        ({"language": "Spanish"}, "language: Value error, 'Spanish' is not a BCP-47 language tag"),
        ({"items": "drop the last"}, "not a translation of phq9: it has 8 items where phq9 has 9."),
        ({"items": "rename the first"}, "not a translation of phq9: item 1 has the id 'uno' where phq9 has '1'."),
        ({"response_sets": "three answers"}, "item 1: the answer values 0, 1, 2 differ from phq9's 0, 1, 2, 3."),
        ({"response_sets": "from one"}, "item 1: the answer values 1, 2, 3, 4 differ from phq9's 0, 1, 2, 3."),
        ({"scales": "another range"}, "scale total is not scored as phq9's is: its range differs."),
        ({"scales": "other bands"}, "scale total is not scored as phq9's is: its bands differ (edges or severities)."),
        ({"scales": "no proration"}, "scale total is not scored as phq9's is: its missing-item rule differs."),
        ({"flags": []}, "its flags differ from phq9's (the same ids, items and thresholds are needed)."),
        ({"audience": "both"}, "its audience 'both' differs from phq9's 'client'."),
    ],
)
def test_a_file_that_is_not_a_faithful_translation_is_refused_and_nothing_is_written(data_dir, tmp_path, change,
                                                                                     message):  # fmt: skip
    data = translation_of_phq9()
    key, how = next(iter(change.items()))
    if how == "drop the last":
        data["items"] = data["items"][:-1]
        data["scales"][0]["items"] = data["scales"][0]["items"][:-1]
        data["flags"] = []
    elif how == "rename the first":
        data["items"][0]["id"] = "uno"
        data["scales"][0]["items"][0] = "uno"
    elif how == "three answers":
        data["response_sets"]["frecuencia"] = data["response_sets"]["frecuencia"][:3]
    elif how == "from one":
        data["response_sets"]["frecuencia"] = [
            o | {"value": o["value"] + 1} for o in data["response_sets"]["frecuencia"]
        ]
    elif how == "another range":
        data["scales"][0]["range"] = [0, 30]
        data["scales"][0]["bands"][-1]["max"] = 30
    elif how == "other bands":
        data["scales"][0]["bands"][0]["max"], data["scales"][0]["bands"][1]["min"] = 5, 6
    elif how == "no proration":
        data["scales"][0]["missing"] = {"max_missing": 0, "method": "refuse", "source": "x"}
    else:
        data[key] = how
    with pytest.raises(CommandError) as error:
        run("instruments", "add", str(write(tmp_path, data)))
    assert message in str(error.value) and error.value.returncode == 2
    assert str(error.value).startswith("translation.json: ")
    assert not (data_dir / "instruments").exists()
    assert list(registry.versions("phq9")) == ["en"]


def test_a_second_translation_into_the_same_language_is_refused(spanish, data_dir, tmp_path):
    again = write(tmp_path, translation_of_phq9(id="phq9_es2"), "again.json")
    with pytest.raises(CommandError, match=r"phq9 has a version in 'es' already \(the translation 'phq9_es'\)"):
        run("instruments", "add", str(again))
    assert sorted(p.name for p in (data_dir / "instruments").iterdir()) == ["phq9_es.json"]


def test_a_translation_of_a_translation_is_refused(spanish, data_dir, tmp_path):
    data = translation_of_phq9("de", translation_of="phq9_es")
    with pytest.raises(CommandError, match="'phq9_es' is itself a translation; name the instrument it translates"):
        run("instruments", "add", str(write(tmp_path, data)))
    assert not (data_dir / "instruments" / "phq9_de.json").exists()


def test_a_practice_can_add_a_translation_of_its_own_added_instrument(data_dir, tmp_path):
    own = json.loads((SHIPPED_DIR / "gad2.json").read_text()) | {"id": "localgad", "short_name": "Local GAD"}
    run("instruments", "add", str(write(tmp_path, own, "own.json")))
    german = own | {"id": "localgad_de", "translation_of": "localgad", "language": "de-AT", "name": "Lokal"}
    assert "localgad_de, the de-at translation of localgad" in run("instruments", "add", str(write(tmp_path, german)))
    assert list(registry.versions("localgad")) == ["en", "de-at"]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_from_before_take_the_language_of_their_instruments_file(data_dir, tmp_path):
    german = json.loads((SHIPPED_DIR / "gad2.json").read_text()) | {"id": "localgad", "language": "de"}
    run("instruments", "add", str(write(tmp_path, german, "own.json")))
    try:  # whatever fails, the database goes back to the latest schema for the tests after this one
        old = migrate([("measures", "0005_scale_scores_say_prorated")])
        ana = make_user("ana", practice=Practice.objects.create(name="North clinic"))  # tables other apps keep
        client = make_client(ana, "N-0001")
        Administration, Link = old.get_model("measures", "Administration"), old.get_model("measures", "ClientLink")
        for instrument_id in ("phq9", "localgad", "removed"):
            answered = Administration.objects.create(
                therapist_id=ana.pk, client_id=client.pk, instrument_id=instrument_id, instrument_version="1",
                source="therapist", answers={}, scale_scores={},
            )  # fmt: skip
            Link.objects.create(client_id=client.pk, created_by_id=ana.pk, instrument_id=instrument_id,
                                token_hash=instrument_id, expires_at=answered.completed_at,
                                administration=answered)  # fmt: skip
        new = migrate([("measures", "0006_answers_say_their_language")])
        for model in ("Administration", "ClientLink"):
            rows = new.get_model("measures", model).objects.order_by("pk")
            assert [(row.instrument_id, row.language) for row in rows] == [
                ("phq9", "en"), ("localgad", "de"), ("removed", "en")
            ]  # fmt: skip
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
