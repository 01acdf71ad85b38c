from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reciprocity.exports.tables import TABLES, account_archive, as_csv, as_json


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "exports/index.html", {"tables": list(TABLES)})


def table(request: HttpRequest, name: str, kind: str) -> HttpResponse:
    if name not in TABLES or kind not in {"csv", "json"}:
        raise Http404("No such export.")
    data = TABLES[name](request.user)
    body, content_type = (as_csv(data), "text/csv") if kind == "csv" else (as_json(data), "application/json")
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reciprocity-{name}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


def account(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(account_archive(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="reciprocity-{timezone.localdate():%Y-%m-%d}.zip"'
    response["Cache-Control"] = "no-store"
    return response
