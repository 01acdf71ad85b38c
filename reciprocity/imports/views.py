"""The import pages: upload a CSV, map its columns, see the dry run, then import all of it or nothing."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.imports import staging
from reciprocity.imports.reading import DATE_FORMATS, DELIMITER_LABELS, ReadError, read_table
from reciprocity.imports.sessions import FIELDS, MAX_PROBLEMS_SHOWN, MappingError, apply_plan, plan_import
from reciprocity.lib.htmx import render_form
from reciprocity.lib.uploads import LARGEST_UPLOAD

MAX_BYTES = LARGEST_UPLOAD
SESSION_KEY = "import_file"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), error_messages={"required": _("Choose a CSV file."), "empty": _("The file is empty.")}
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding"), required=False,
        choices=[("", _("Detect it")), ("utf-8", "UTF-8"), ("latin-1", _("Latin-1 (Windows Western)"))],
    )  # fmt: skip
    delimiter = forms.ChoiceField(
        label=_("Column separator"), required=False, choices=[("", _("Detect it")), *DELIMITER_LABELS.items()]
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 20 MB; split it, or use `reciprocity import`.")
            )
        return upload.read()


def upload(request: HttpRequest) -> HttpResponse:
    """The CSV arrives in memory only (lib/uploads.py), and waits sealed (staging.py)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw, encoding, delimiter = (form.cleaned_data[k] for k in ("file", "encoding", "delimiter"))
        try:
            table = read_table(raw, encoding=encoding or None, delimiter=delimiter or None)
        except ReadError as problem:
            form.add_error("file", str(problem))
        else:
            _forget(request)
            name = staging.stage(request.user.pk, raw)
            request.session[SESSION_KEY] = {"name": name, "encoding": table.encoding, "delimiter": table.delimiter}
            return redirect("imports:map")
    return render_form(request, "imports/upload.html", {"form": form})


def _forget(request: HttpRequest) -> None:
    """Delete the uploaded file this user was working on, if any."""
    stored = request.session.pop(SESSION_KEY, None)
    if stored:
        staging.forget(request.user.pk, stored["name"])


def _guess(column: str) -> str:
    words = {"code": "client", "client": "client", "date": "starts_at", "when": "starts_at", "start": "starts_at",
             "duration": "duration_minutes", "minutes": "duration_minutes", "load": "emotional_load",
             "trauma": "worked_with_trauma", "technique": "techniques", "method": "techniques", "format": "format",
             "mode": "mode"}  # fmt: skip
    name = column.lower()
    if name in FIELDS:
        return name
    return next((field for word, field in words.items() if word in name), "")


def map_columns(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    raw = staging.read(request.user.pk, stored["name"]) if stored else None
    if raw is None:
        messages.error(request, gettext("Upload the file first."))
        return redirect("imports:upload")
    table = read_table(raw, encoding=stored["encoding"], delimiter=stored["delimiter"])
    if request.method == "POST":
        mapping = {c: request.POST.get(f"map-{i}", "") for i, c in enumerate(table.header)}
    else:
        mapping = {c: _guess(c) for c in table.header}
    chosen = {c: f for c, f in mapping.items() if f}
    date_format = request.POST.get("date_format", "") or None
    plan, problem, status = None, "", 200
    if request.method == "POST":
        try:
            plan = plan_import(request.user, table, chosen, date_format=date_format)
        except (MappingError, ReadError) as error:
            problem, status = str(error), 422
        else:
            if request.POST.get("action") == "import" and plan.can_import:
                counts = apply_plan(request.user, plan)
                _forget(request)
                messages.success(
                    request,
                    gettext(
                        "Imported {sessions} sessions, {reflections} reflections and {clients} new clients."
                    ).format(**counts),
                )
                return redirect("therapy:session-list")
            status = 422 if plan.problems else 200
    columns = [(i, c, mapping.get(c, ""), [r[i] for r in table.rows[:3]]) for i, c in enumerate(table.header)]
    context = {
        "columns": columns, "fields": FIELDS, "rows": len(table.rows), "encoding": table.encoding,
        "date_formats": DATE_FORMATS, "date_format": date_format or "", "plan": plan, "problem": problem,
        "problems": plan.problems[:MAX_PROBLEMS_SHOWN] if plan else [],
    }  # fmt: skip
    response = render_form(request, "imports/map.html", context)
    response.status_code = status
    return response
