"""Every upload stays in memory (lib/uploads.py): at most LARGEST_UPLOAD + 1 bytes of it are kept, its true
size is still known to the form, and a signed-out request's file is not read at all."""

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import RequestFactory

from reciprocity.lib import uploads
from reciprocity.lib.uploads import InMemoryUpload


def _parsed(request: HttpRequest) -> dict:
    request.upload_handlers = [InMemoryUpload(request)]
    return request.FILES


def test_a_file_past_the_largest_upload_keeps_its_true_size_but_only_the_limit_in_memory(monkeypatch, ana):
    monkeypatch.setattr(uploads, "LARGEST_UPLOAD", 1000)
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("big.csv", b"x" * 5000, "text/csv")})
    request.user = ana
    upload = _parsed(request)["file"]
    assert upload.size == 5000 and len(upload.read()) == 1001  # the form says how large; memory holds 1001


def test_a_signed_out_request_s_file_is_skipped_unread():
    request = RequestFactory().post("/accounts/login/", {"file": SimpleUploadedFile("a.csv", b"x" * 50, "text/csv"),
                                                         "username": "ana"})  # fmt: skip
    request.user = AnonymousUser()
    assert "file" not in _parsed(request) and request.POST["username"] == "ana"


def test_a_body_larger_than_any_page_takes_is_refused_before_it_is_read(monkeypatch, as_ana):
    monkeypatch.setattr(uploads, "LARGEST_BODY", 1000)
    response = as_ana.post("/import/", {"file": SimpleUploadedFile("big.csv", b"x" * 2000, "text/csv")})
    assert response.status_code == 413 and "larger than anything Reciprocity accepts (20 MB)" in response.text
    assert as_ana.post("/import/", {"file": SimpleUploadedFile("s.csv", b"a,b\n", "text/csv")}).status_code != 413
