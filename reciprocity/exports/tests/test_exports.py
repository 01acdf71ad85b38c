import csv
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from tests.builders import make_reflection, make_session


@pytest.fixture
def ana_data(ana, ana_client):
    session = make_session(ana_client, emotional_load=7)
    make_reflection(session, gave_me='=HYPERLINK("http://x")', ratings={"empathy": 4})
    record_administration(therapist=ana, instrument=registry.get("phq9"), client=ana_client,
                          answers=dict.fromkeys(map(str, range(1, 10)), 1))  # fmt: skip
    return session


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_table_downloads_as_csv_and_json(as_ana, ana_data):
    sessions = rows(as_ana.get("/export/sessions.csv"))
    assert sessions[0][:3] == ["id", "client", "starts_at"] and sessions[1][1] == "N-0007" and sessions[1][7] == "7"
    reflections = json.loads(as_ana.get("/export/reflections.json").content)
    assert reflections[0]["empathy"] == 4 and reflections[0]["session"] == ana_data.pk
    questionnaires = rows(as_ana.get("/export/questionnaires.csv"))
    assert questionnaires[1][1] == "phq9" and questionnaires[1][6] == "9.0"
    assert as_ana.get("/export/nothing.csv").status_code == 404
    assert as_ana.get("/export/sessions.xml").status_code == 404


def test_a_cell_that_looks_like_a_formula_is_defused(as_ana, ana_data):
    reflections = rows(as_ana.get("/export/reflections.csv"))
    assert reflections[1][reflections[0].index("gave_me")].startswith("'=HYPERLINK")


def test_the_whole_account_archive_holds_every_table_and_fhir(as_ana, ana_data):
    response = as_ana.get("/export/all.zip")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        assert {"clients.csv", "sessions.json", "reflections.csv", "questionnaires.json", "README.txt"} <= names
        fhir = [n for n in names if n.startswith("fhir/")]
        assert len(fhir) == 1
        assert json.loads(archive.read(fhir[0]))["resourceType"] == "QuestionnaireResponse"


def test_another_therapist_exports_only_their_own(client, ben, ana_data):
    client.force_login(ben)
    for name in ("clients", "sessions", "reflections", "questionnaires"):
        exported = rows(client.get(f"/export/{name}.csv"))
        assert len(exported) == 1 and exported[0][0] in {"code", "id"}, name  # the header and nothing else


def test_the_export_command_writes_the_same_archive(tmp_path, ana_data):
    target = tmp_path / "ana.zip"
    call_command("export", "--user", "ana", "-o", str(target), stdout=StringIO())
    with zipfile.ZipFile(target) as archive:
        assert "N-0007" in archive.read("clients.csv").decode()
    with pytest.raises(CommandError, match="no user called") as error:
        call_command("export", "--user", "nobody", stdout=StringIO())
    assert error.value.returncode == 2
