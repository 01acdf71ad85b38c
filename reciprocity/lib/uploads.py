"""Every uploaded file is kept in memory, never in a temporary file on disk.

Django's default handlers write an upload above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file, in
clear, for the length of the request; a calendar's session titles, a CSV's reflections or a questionnaire's
answers have no business there. `InMemoryUpload` is the only handler (settings.FILE_UPLOAD_HANDLERS): it
keeps at most LARGEST_UPLOAD + 1 bytes of a request's files and reads the rest through, so an upload that is
too big still arrives with its true size and its form says so in its own words (each form has its own,
lower limit). A request whose body is larger than any page takes is refused (413) before a byte of it is
read (`refuse_oversized_bodies`). Nobody signed out uploads a file (the pages that take one are signed-in
pages): a file in a signed-out request is skipped unread, so nobody can make the server hold 20 MB without
an account. The front proxy should not spool bodies to disk either (docs/deploy.md).
"""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

LARGEST_UPLOAD = 20 * 2**20  # the largest any form accepts (a CSV to import)
LARGEST_BODY = LARGEST_UPLOAD + 2**20  # that file and its form's other fields


def refuse_oversized_bodies(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """A request that says its body is larger than any page takes is answered 413 before a byte is read."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > LARGEST_BODY:
            message = gettext("This is larger than anything Reciprocity accepts ({mb} MB).")
            return HttpResponse(
                message.format(mb=LARGEST_UPLOAD // 2**20), status=413, content_type="text/plain; charset=utf-8"
            )
        return get_response(request)

    return middleware


class InMemoryUpload(FileUploadHandler):
    """Keep the request's uploaded files in memory only, up to LARGEST_UPLOAD + 1 bytes of them together."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.kept = 0  # bytes kept of every file in this request together

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            raise SkipFile
        super().new_file(field_name, *args, **kwargs)
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = LARGEST_UPLOAD + 1 - self.kept
        if room > 0:
            self.file.write(raw_data[:room])
            self.kept += min(room, len(raw_data))

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            self.file, self.field_name, self.file_name, self.content_type, file_size, self.charset,
            self.content_type_extra,
        )  # fmt: skip
