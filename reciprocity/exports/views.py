from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.exports.tables import account_archive, as_csv, as_json
from reciprocity.lib.personal_data import tables

FORMATS = [("csv", "CSV"), ("json", "JSON")]  # the names of file formats are the same in every language


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "exports/index.html", {"tables": list(tables()), "formats": FORMATS})


def table(request: HttpRequest, name: str, kind: str) -> HttpResponse:
    build = tables().get(name)
    if build is None or kind not in {"csv", "json"}:
        raise Http404("No such export.")
    data = build(request.user)
    body, content_type = (as_csv(data), "text/csv") if kind == "csv" else (as_json(data), "application/json")
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reciprocity-{name}.{kind}"'
    record(Action.EXPORT, f"downloaded the {name} table as {kind.upper()}", subject=request.user, request=request)
    response["Cache-Control"] = "no-store"
    return response


def account(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(account_archive(request.user), content_type="application/zip")
    record(Action.EXPORT, "downloaded all data as a zip", subject=request.user, request=request)
    response["Content-Disposition"] = f'attachment; filename="reciprocity-{timezone.localdate():%Y-%m-%d}.zip"'
    response["Cache-Control"] = "no-store"
    return response
