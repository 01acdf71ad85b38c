import csv
import datetime
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.repertoire.services import add_item, log_trial
from tests.builders import make_reflection, make_session


@pytest.fixture
def ana_data(ana, ana_client):
    session = make_session(ana_client, emotional_load=7)
    make_reflection(session, gave_me='=HYPERLINK("http://x")', ratings={"empathy": 4})
    record_administration(therapist=ana, instrument=registry.get("phq9"), client=ana_client,
                          answers=dict.fromkeys(map(str, range(1, 10)), 1))  # fmt: skip
    who5 = registry.get("who5")
    record_administration(
        therapist=ana, instrument=who5, answers={i.id: 3 for i in who5.items}, note="Tired but steady."
    )
    item = add_item(owner=ana, title="Paced breathing", tags=["calm", "sleep"])
    log_trial(item, by=ana, tried_on=datetime.date(2026, 3, 2), situation="Before a talk.", helped=4)
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
    assert questionnaires[2][questionnaires[0].index("note")] == "Tired but steady."
    repertoire = json.loads(as_ana.get("/export/repertoire.json").content)
    assert repertoire[0]["title"] == "Paced breathing" and repertoire[0]["tags"] == "calm;sleep"
    tries = rows(as_ana.get("/export/tries.csv"))
    assert tries[1][tries[0].index("helped")] == "4"
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
        assert {"clients.csv", "sessions.json", "reflections.csv", "questionnaires.json", "repertoire.csv",
                "tries.json", "README.txt"} <= names  # fmt: skip
        fhir = [n for n in names if n.startswith("fhir/")]
        assert len(fhir) == 2  # the client's PHQ-9 and the therapist's own WHO-5
        assert json.loads(archive.read(fhir[0]))["resourceType"] == "QuestionnaireResponse"


def test_another_therapist_exports_only_their_own(client, ben, ana_data):
    client.force_login(ben)
    for name in ("clients", "sessions", "reflections", "questionnaires", "repertoire", "tries", "development", "goals",
                 "support"):  # fmt: skip
        exported = rows(client.get(f"/export/{name}.csv"))
        assert len(exported) == 1 and exported[0][0] in {"code", "id"}, name  # the header and nothing else


def test_the_export_command_writes_the_same_archive(tmp_path, ana_data):
    target = tmp_path / "ana.zip"
    call_command("export", "--user", "ana", "-o", str(target), stdout=StringIO())
    with zipfile.ZipFile(target) as archive:
        assert "N-0007" in archive.read("clients.csv").decode()
    assert target.stat().st_mode & 0o777 == 0o600  # whatever the umask of the shell it ran in
    with pytest.raises(CommandError, match="no user called") as error:
        call_command("export", "--user", "nobody", stdout=StringIO())
    assert error.value.returncode == 2


def test_a_failed_export_leaves_the_earlier_export_as_it_was(tmp_path, ana_data):
    target = tmp_path / "ana.zip"
    call_command("export", "--user", "ana", "-o", str(target), stdout=StringIO())
    earlier = target.read_bytes()
    with connection.cursor() as cursor:  # a text sealed under a key this installation does not have
        cursor.execute("UPDATE therapy_reflection SET gave_me = 'enc1:lostkey:AAAA'")
    with pytest.raises(CommandError, match="sealed with key lostkey, which is not among the keys") as error:
        call_command("export", "--user", "ana", "-o", str(target), stdout=StringIO())
    assert "nothing was written" in str(error.value) and error.value.returncode == 2
    assert target.read_bytes() == earlier
    assert [p.name for p in tmp_path.iterdir()] == ["ana.zip"]  # no temporary file left behind
