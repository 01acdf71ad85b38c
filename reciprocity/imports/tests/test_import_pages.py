from django.core.files.uploadedfile import SimpleUploadedFile

from reciprocity.therapy.models import Session

CSV = b"Client code,Date,Load\nN-0201,2026-03-02 09:00,5\nN-0202,2026-03-03 10:00,7\n"


def upload(browser, content=CSV, **extra):
    return browser.post("/import/", {"file": SimpleUploadedFile("s.csv", content, "text/csv"), **extra})


def test_upload_map_dry_run_then_import(as_ana, ana):
    response = upload(as_ana)
    assert response.status_code == 302 and response["Location"] == "/import/map/"
    page = as_ana.get("/import/map/").content.decode()
    assert 'value="client" selected' in page and 'value="starts_at" selected' in page  # guessed from the names
    mapping = {"map-0": "client", "map-1": "starts_at", "map-2": "emotional_load"}
    dry = as_ana.post("/import/map/", mapping | {"action": "check"})
    assert dry.status_code == 200 and "2 new sessions" in dry.content.decode() and not Session.objects.exists()
    done = as_ana.post("/import/map/", mapping | {"action": "import"})
    assert done.status_code == 302 and Session.objects.owned_by(ana).count() == 2
    assert as_ana.get("/import/map/").status_code == 302  # the uploaded file is gone


def test_problem_rows_are_listed_and_nothing_is_imported(as_ana):
    upload(as_ana, b"Client,When\nMaria,2026-03-02 09:00\nN-1,2026-03-02 09:00\n")
    response = as_ana.post("/import/map/", {"map-0": "client", "map-1": "starts_at", "action": "import"})
    assert response.status_code == 422
    assert "Line 2: client code" in response.content.decode() and not Session.objects.exists()


def test_a_mapping_without_the_required_columns_is_explained(as_ana):
    upload(as_ana)
    response = as_ana.post("/import/map/", {"map-0": "client", "action": "check"})
    assert response.status_code == 422 and "Choose the column for starts_at" in response.content.decode()


def test_a_file_that_cannot_be_read_is_refused_at_upload(as_ana):
    response = upload(as_ana, b"a,b\n1,2,3\n")
    assert response.status_code == 422 and "Line 2 has 3 cells" in response.content.decode()


def test_another_user_cannot_reach_anothers_upload(as_ana, client, ben):
    upload(as_ana)
    client.force_login(ben)
    assert client.get("/import/map/").status_code == 302  # nothing uploaded in Ben's own session
