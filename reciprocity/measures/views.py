import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reciprocity.clients.codes import normalise_code
from reciprocity.clients.selectors import get_client_for
from reciprocity.lib.charts import Course, Zone, jacobson_truax, trajectory
from reciprocity.lib.htmx import render_form, render_page
from reciprocity.measures import registry
from reciprocity.measures.change import reliable_change_threshold
from reciprocity.measures.fhir import FhirError, parse_questionnaire_response, questionnaire, questionnaire_response
from reciprocity.measures.forms import AnswersForm, FhirImportForm, InstrumentChoiceForm
from reciprocity.measures.models import Source
from reciprocity.measures.scoring import AnswerError, TooManyMissing, score
from reciprocity.measures.selectors import (
    CaseloadPlot,
    Trajectory,
    caseload_plots,
    client_links,
    client_progress,
    get_administration_for,
    scored_scales,
)
from reciprocity.measures.services import (
    LinkClosed,
    acknowledge_flags,
    create_client_link,
    open_link,
    record_administration,
    submit_client_link,
)


def instrument_or_404(instrument_id: str, audience: str | None = None) -> registry.Instrument:
    try:
        instrument = registry.get(instrument_id)
    except registry.UnknownInstrument:
        raise Http404("No such questionnaire.") from None
    if audience is not None and not instrument.is_for(audience):
        raise Http404("No such questionnaire for this purpose.")
    return instrument


def chart_for(item: Trajectory) -> str:
    scale = item.scale
    zones = [Zone(b.min, b.max, b.label, b.severity) for b in scale.bands]
    band = None
    if item.administrations and scale.reliability is not None:
        first = item.points[0][1]
        threshold, _ = reliable_change_threshold(scale)
        band = (first - threshold, first + threshold)
    points = [(f"{timezone.localtime(a.completed_at):%d %b %Y}", value) for a, value in item.points]
    title = f"{item.instrument.short_name} {scale.name} over time: " + ", ".join(f"{d} {v:g}" for d, v in points)
    return trajectory(points, scale_range=scale.range, zones=zones, reliable_band=band, title=title)


def client_measures(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    progress = [{"trajectory": t, "chart": chart_for(t)} for t in client_progress(client)]
    context = {
        "client": client,
        "progress": progress,
        "choice": InstrumentChoiceForm(instruments=registry.for_audience("client")),
        "links": client_links(client),
        "recent": client.administrations.all()[:20],
    }
    return render_page(request, "measures/client_measures.html", context)


def caseload_chart(plot: CaseloadPlot) -> str:
    """The Jacobson–Truax plot of one scale over the caseload, one point per client code."""
    scale = plot.scale
    courses = [
        Course(p.code, p.first, p.latest, p.change.direction.replace("_", "-") if p.change else "not-judged")
        for p in plot.points
    ]
    title = (
        f"Jacobson–Truax plot of {plot.instrument.short_name} {scale.name}: first score across, latest score up, "
        f"{len(courses)} client code{'s' if len(courses) != 1 else ''}; the table below gives the same figures"
    )
    cutoff = scale.cutoff.value if scale.cutoff else None
    return jacobson_truax(courses, scale_range=scale.range, threshold=plot.threshold, cutoff=cutoff, title=title)


def caseload(request: HttpRequest) -> HttpResponse:
    plots = [{"plot": plot, "chart": caseload_chart(plot)} for plot in caseload_plots(request.user)]
    return render_page(request, "measures/caseload.html", {"plots": plots})


def administration_create(request: HttpRequest, code: str, instrument_id: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    instrument = instrument_or_404(instrument_id, "client")
    initial = {"coding": request.GET.get("coding", "")}
    form = AnswersForm(request.POST or None, instrument=instrument, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            administration = record_administration(
                therapist=request.user,
                instrument=instrument,
                answers=form.answers(),
                client=client,
                session=form.cleaned_data.get("session"),
                completed_at=form.cleaned_data.get("completed_at"),
                coding=form.coding_id,
            )
        except TooManyMissing as problem:
            form.point_to_unanswered(str(problem))
        except AnswerError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"{instrument.short_name} recorded for {client.code}.")
            return redirect(administration)
    context = {"form": form, "instrument": instrument, "client": client}
    return render_form(request, "measures/answer_form.html", context)


def _chosen_client_measure(request: HttpRequest, data: object) -> registry.Instrument | None:
    form = InstrumentChoiceForm(data, instruments=registry.for_audience("client"))
    if not form.is_valid():
        messages.error(request, "Choose a questionnaire from the list.")
        return None
    return registry.get(form.cleaned_data["instrument"])


def choose_instrument(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    if (instrument := _chosen_client_measure(request, request.GET)) is None:
        return redirect("measures:client", code=client.code)
    return redirect("measures:administration-create", code=client.code, instrument_id=instrument.id)


@require_POST
def link_create(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    if (instrument := _chosen_client_measure(request, request.POST)) is None:
        return redirect("measures:client", code=client.code)
    link, token = create_client_link(therapist=request.user, client=client, instrument=instrument)
    url = request.build_absolute_uri(f"/q/{token}/")
    context = {"client": client, "instrument": instrument, "link": link, "url": url}
    return render(request, "measures/link_created.html", context)


def administration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_administration_for(request.user, pk)
    instrument = instrument_or_404(administration.instrument_id)
    try:
        result = score(instrument, administration.answers, administration.coding)
    except AnswerError:
        raise Http404("These answers no longer fit the questionnaire's file.") from None
    offset = result.coding.offset if result.coding else 0
    rows = []
    for number, item in enumerate(instrument.items, start=1):
        value = administration.answers.get(item.id)
        labels = {o.value + offset: o.label for o in instrument.options(item)}
        rows.append((number, item, value, labels.get(value, "")))
    context = {"administration": administration, "instrument": instrument, "result": result, "rows": rows,
               "scales": scored_scales(administration, instrument)}  # fmt: skip
    return render_page(request, "measures/administration_detail.html", context)


@require_POST
def administration_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_administration_for(request.user, pk)
    acknowledge_flags(administration)
    messages.success(request, "Flag acknowledged.")
    return redirect(administration)


def administration_fhir(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_administration_for(request.user, pk)
    resource = questionnaire_response(administration, instrument_or_404(administration.instrument_id))
    response = JsonResponse(resource, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="questionnaire-response-{administration.pk}.json"'
    return response


def fhir_import(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    form = FhirImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = _read_json(form.cleaned_data["file"])
            instrument, answers, authored, subject = parse_questionnaire_response(data, registry.all_instruments())
            if not instrument.is_for("client"):
                raise FhirError(f"{instrument.short_name} is not a client measure.")
            if subject is not None and normalise_code(subject) != client.code:
                raise FhirError(f"This response is about {subject[:20]}, not {client.code}: import it for that client.")
            administration = record_administration(
                therapist=request.user, instrument=instrument, answers=answers, client=client,
                completed_at=authored, source=Source.IMPORT,
            )  # fmt: skip
        except (FhirError, AnswerError) as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(request, f"{instrument.short_name} imported for {client.code}.")
            return redirect(administration)
    return render_form(request, "measures/fhir_import.html", {"form": form, "client": client})


def _read_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise FhirError("The file is not valid JSON.") from None


def instrument_list(request: HttpRequest) -> HttpResponse:
    context = {"client_measures": registry.for_audience("client"), "own_measures": registry.for_audience("therapist")}
    return render_page(request, "measures/instrument_list.html", context)


def instrument_detail(request: HttpRequest, instrument_id: str) -> HttpResponse:
    instrument = instrument_or_404(instrument_id)
    return render_page(request, "measures/instrument_detail.html", {"instrument": instrument})


def instrument_fhir(request: HttpRequest, instrument_id: str) -> HttpResponse:
    resource = questionnaire(instrument_or_404(instrument_id))
    return JsonResponse(resource, json_dumps_params={"indent": 2, "ensure_ascii": False})


@login_not_required
def client_link(request: HttpRequest, token: str) -> HttpResponse:
    """The client's page: the questionnaire and nothing else about anyone. Used or expired links are gone (410)."""
    link = open_link(token)
    if link is None:
        raise Http404("No such link.")
    instrument = instrument_or_404(link.instrument_id)
    if not link.is_open:
        return render(request, "measures/link_gone.html", {"instrument": instrument}, status=410)
    form = AnswersForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            administration = submit_client_link(token, form.answers(), instrument)
        except LinkClosed:
            return render(request, "measures/link_gone.html", {"instrument": instrument}, status=410)
        except TooManyMissing as problem:
            form.point_to_unanswered(str(problem))
        except AnswerError as problem:
            form.add_error(None, str(problem))
        else:
            flags = [f for f in instrument.flags if f.id in administration.flags]
            return render(request, "measures/link_done.html", {"instrument": instrument, "flags": flags})
    status = 422 if form.errors else 200
    response = render(request, "measures/link_form.html", {"form": form, "instrument": instrument}, status=status)
    # No copy in any cache. (The site-wide Referrer-Policy "same-origin" already keeps the token from
    # other sites; "no-referrer" would make browsers send "Origin: null" and fail the CSRF check.)
    response["Cache-Control"] = "no-store"
    return response
