"""The uploaded CSV waits for the import sealed with the vault, and goes on import, erasure, or after six hours."""

import importlib
import os
import secrets
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from reciprocity.imports import views
from reciprocity.lib import periodic
from reciprocity.practice.erasure import erase_account
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection
from tests.builders import sign_in

GAVE, CARRY = "My sister's diagnosis frightened me", "Ask for help before I need it"
HEADER = f"Client code,Date,{','.join(KEYS)},gave_me,carry_home\n"
CSV = f"{HEADER}N-0201,2026-03-02 09:00,4,3,2,1,0,1,2,{GAVE},{CARRY}\n".encode()


@pytest.fixture
def staged(settings, tmp_path):
    """The staging folder, in a data directory of the test's own."""
    settings.DATA_DIR = tmp_path
    return tmp_path / "imports"


def upload(browser, content=CSV):
    return browser.post("/import/", {"file": SimpleUploadedFile("s.csv", content, "text/csv")})


def files_in(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def signed_in(user):
    return sign_in(HttpClient(), user)


def backdate(path, *, hours):
    then = time.time() - hours * 60 * 60
    os.utime(path, (then, then))


def left_in_clear(folder, user):
    """A file as releases before this one staged it: the upload itself, in clear."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{user.pk}-{secrets.token_hex(16)}.csv"
    path.write_bytes(CSV)
    return path


def test_the_staged_file_holds_none_of_the_words_and_the_import_still_works(as_ana, ana, staged):
    assert upload(as_ana).status_code == 302
    [name] = files_in(staged)
    sealed = (staged / name).read_bytes()
    assert GAVE.encode() not in sealed and CARRY.encode() not in sealed and b"N-0201" not in sealed
    assert (staged / name).stat().st_mode & 0o777 == 0o600
    page = as_ana.get("/import/map/").content.decode()
    assert "N-0201" in page  # read back, decrypted in memory
    mapping = {"map-0": "client", "map-1": "starts_at"} | {f"map-{i}": key for i, key in enumerate(KEYS, start=2)}
    mapping |= {"map-9": "gave_me", "map-10": "carry_home"}
    done = as_ana.post("/import/map/", mapping | {"action": "import"})
    assert done.status_code == 302
    reflection = Reflection.objects.get(author=ana)
    assert (reflection.gave_me, reflection.carry_home, reflection.empathy) == (GAVE, CARRY, 4)
    assert files_in(staged) == []


def test_an_upload_above_django_s_memory_limit_is_never_written_to_a_temporary_file(as_ana, staged, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # Django's default handlers would spool this upload to disk
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")  # where they would write it: refused
    rows = "".join(f"N-{n:04},2026-03-02 09:00,4,3,2,1,0,1,2,{GAVE},{CARRY}\n" for n in range(50))
    assert upload(as_ana, (HEADER + rows).encode()).status_code == 302
    page = as_ana.get("/import/map/")
    assert page.status_code == 200 and "N-0000" in page.content.decode()


def test_an_upload_over_the_limit_is_refused_with_its_size_and_kept_nowhere(
    as_ana, staged, settings, tmp_path, monkeypatch
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")
    monkeypatch.setattr(views, "MAX_BYTES", 2000)
    response = upload(as_ana, CSV + b"N-0202,2026-03-03 09:00\n" * 200)
    assert response.status_code == 422 and "larger than 20 MB" in response.content.decode()
    assert files_in(staged) == []


def test_erasure_deletes_the_person_s_staged_files_and_no_one_else_s(as_ana, ana, ben, staged):
    upload(as_ana)
    left_in_clear(staged, ana)
    as_ben = signed_in(ben)
    upload(as_ben)
    [bens] = [name for name in files_in(staged) if name.startswith(f"{ben.pk}-")]
    erase_account(ana)
    assert files_in(staged) == [bens]
    assert as_ben.get("/import/map/").status_code == 200


def test_a_staged_file_older_than_six_hours_goes_at_the_next_upload_and_a_fresh_one_stays(as_ana, ben, cara, staged):
    as_ben = signed_in(ben)
    upload(as_ana)
    upload(as_ben)
    [bens] = [name for name in files_in(staged) if name.startswith(f"{ben.pk}-")]
    [anas] = [name for name in files_in(staged) if name != bens]
    backdate(staged / anas, hours=7)
    backdate(staged / bens, hours=5)
    upload(signed_in(cara))
    assert anas not in files_in(staged) and bens in files_in(staged) and len(files_in(staged)) == 2
    assert as_ana.get("/import/map/").status_code == 302  # Ana is asked to upload again
    assert as_ben.get("/import/map/").status_code == 200


def test_the_worker_sweeps_stale_staged_files_every_hour(as_ana, ben, staged):
    upload(as_ana)
    upload(signed_in(ben))
    [anas] = [name for name in files_in(staged) if not name.startswith(f"{ben.pk}-")]
    backdate(staged / anas, hours=7)
    [job] = [job for job in periodic.jobs() if job.name == "stale imports"]
    assert job.every_seconds <= 60 * 60
    job.run()
    assert len(files_in(staged)) == 1 and anas not in files_in(staged)


def test_a_file_an_earlier_release_staged_in_clear_is_deleted_by_the_next_upload(as_ana, ben, staged):
    old = left_in_clear(staged, ben)  # written a moment ago: its clear text, not its age, condemns it
    upload(as_ana)
    assert not old.exists()
    assert [name.endswith(".sealed") for name in files_in(staged)] == [True]


def test_a_staged_file_renamed_to_another_person_s_name_does_not_open(as_ana, ben, staged):
    as_ben = signed_in(ben)
    upload(as_ben)
    upload(as_ana)
    [bens] = [name for name in files_in(staged) if name.startswith(f"{ben.pk}-")]
    [anas] = [name for name in files_in(staged) if name != bens]
    (staged / bens).replace(staged / anas)  # its name is sealed in with it
    assert as_ana.get("/import/map/").status_code == 302


def test_the_upload_still_needs_its_csrf_token(ana, staged):
    """An upload without its CSRF token is refused, and nothing is staged."""
    browser = sign_in(HttpClient(enforce_csrf_checks=True), ana)
    assert upload(browser).status_code == 403
    assert files_in(staged) == []


def test_upgrading_deletes_the_uploads_earlier_releases_kept_in_clear(as_ana, ana, staged):
    upload(as_ana)  # one sealed, waiting
    old = staged / f"{ana.pk}-{secrets.token_hex(16)}.csv"
    old.write_bytes(CSV)
    upgrade = importlib.import_module("reciprocity.imports.migrations.0001_clear_uploads_of_earlier_releases")
    upgrade.delete_clear_uploads(None, None)  # as `reciprocity upgrade` (migrate) runs it
    assert not old.exists() and [name.endswith(".sealed") for name in files_in(staged)] == [True]
