import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from reciprocity.clients.codes import normalise_code
from reciprocity.clients.selectors import get_client_for
from reciprocity.lib.charts import Course, Zone, jacobson_truax, trajectory
from reciprocity.lib.htmx import render_form, render_page
from reciprocity.measures import registry
from reciprocity.measures.change import reliable_change_threshold
from reciprocity.measures.fhir import FhirError, parse_questionnaire_response, questionnaire, questionnaire_response
from reciprocity.measures.forms import AnswersForm, FhirImportForm, InstrumentChoiceForm, LinkForm
from reciprocity.measures.languages import language_name, page_language
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
    points = [(formats.date_format(timezone.localtime(a.completed_at), "d M Y"), value) for a, value in item.points]
    title = gettext("{measure} over time: {scores}").format(
        measure=f"{item.instrument.short_name} {scale.name}", scores=", ".join(f"{d} {v:g}" for d, v in points)
    )
    return trajectory(points, scale_range=scale.range, zones=zones, reliable_band=band, title=title)


def client_measures(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    progress = [{"trajectory": t, "chart": chart_for(t)} for t in client_progress(client)]
    context = {
        "client": client,
        "progress": progress,
        "choice": InstrumentChoiceForm(instruments=registry.for_audience("client")),
        "link_form": LinkForm(instruments=registry.for_audience("client"), auto_id="link-%s"),
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
    title = ngettext(
        "Jacobson–Truax plot of {measure}: first score across, latest score up, {n} client code; the table below "
        "gives the same figures",
        "Jacobson–Truax plot of {measure}: first score across, latest score up, {n} client codes; the table below "
        "gives the same figures",
        len(courses),
    ).format(measure=f"{plot.instrument.short_name} {scale.name}", n=len(courses))
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
            messages.success(
                request, gettext("{name} recorded for {code}.").format(name=instrument.short_name, code=client.code)
            )
            return redirect(administration)
    context = {"form": form, "instrument": instrument, "client": client}
    return render_form(request, "measures/answer_form.html", context)


def _chosen_client_measure(request: HttpRequest, data: object) -> registry.Instrument | None:
    form = InstrumentChoiceForm(data, instruments=registry.for_audience("client"))
    if not form.is_valid():
        messages.error(request, gettext("Choose a questionnaire from the list."))
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
    form = LinkForm(request.POST, instruments=registry.for_audience("client"))
    if not form.is_valid():
        messages.error(request, gettext("Choose a questionnaire from the list."))
        return redirect("measures:client", code=client.code)
    instrument, language = form.chosen()
    link, token = create_client_link(therapist=request.user, client=client, instrument=instrument, language=language)
    url = request.build_absolute_uri(f"/q/{token}/")
    translated = len(registry.versions(instrument.id)) > 1
    context = {"client": client, "instrument": instrument, "link": link, "url": url,
               "language": language_name(link.language) if translated else ""}  # fmt: skip
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
    # Which version was answered, where there is a choice: the file's own language or a practice's translation.
    translated = administration.language != instrument.language or len(registry.versions(instrument.id)) > 1
    context = {"administration": administration, "instrument": instrument, "result": result, "rows": rows,
               "scales": scored_scales(administration, instrument),
               "answered_in": administration.language_name if translated else ""}  # fmt: skip
    return render_page(request, "measures/administration_detail.html", context)


@require_POST
def administration_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_administration_for(request.user, pk)
    acknowledge_flags(administration)
    messages.success(request, gettext("Flag acknowledged."))
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
                raise FhirError(gettext("{name} is not a client measure.").format(name=instrument.short_name))
            if subject is not None and normalise_code(subject) != client.code:
                raise FhirError(
                    gettext("This response is about {subject}, not {code}: import it for that client.").format(
                        subject=subject[:20], code=client.code
                    )
                )
            administration = record_administration(
                therapist=request.user, instrument=instrument, answers=answers, client=client,
                completed_at=authored, source=Source.IMPORT,
            )  # fmt: skip
        except (FhirError, AnswerError) as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(
                request, gettext("{name} imported for {code}.").format(name=instrument.short_name, code=client.code)
            )
            return redirect(administration)
    return render_form(request, "measures/fhir_import.html", {"form": form, "client": client})


def _read_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise FhirError(gettext("The file is not valid JSON.")) from None


def instrument_list(request: HttpRequest) -> HttpResponse:
    context = {"client_measures": registry.for_audience("client"), "own_measures": registry.for_audience("therapist")}
    return render_page(request, "measures/instrument_list.html", context)


def instrument_detail(request: HttpRequest, instrument_id: str) -> HttpResponse:
    instrument = instrument_or_404(instrument_id)
    translations = [
        (t, language_name(t.language)) for t in registry.versions(instrument.id).values() if t.translation_of
    ]
    return render_page(
        request, "measures/instrument_detail.html", {"instrument": instrument, "translations": translations}
    )


def instrument_fhir(request: HttpRequest, instrument_id: str) -> HttpResponse:
    resource = questionnaire(instrument_or_404(instrument_id))
    return JsonResponse(resource, json_dumps_params={"indent": 2, "ensure_ascii": False})


@login_not_required
def client_link(request: HttpRequest, token: str) -> HttpResponse:
    """The client's page: the questionnaire and nothing else about anyone. Used or expired links are gone (410).

    It shows the version the therapist chose (the instrument's own file or a practice's translation), and the
    page around it speaks that version's language where Reciprocity has it, else English.
    """
    link = open_link(token)
    if link is None:
        raise Http404("No such link.")
    instrument = instrument_or_404(link.instrument_id)
    try:
        version = registry.version(instrument.id, link.language)
    except registry.UnknownVersion:
        version = instrument  # the translation's file was removed: the questionnaire's own words still work
    language = page_language(version.language)
    with translation.override(language):
        response = _client_page(request, token, link.is_open, version)
    response["Content-Language"] = language
    return response


def _client_page(request: HttpRequest, token: str, is_open: bool, version: registry.Instrument) -> HttpResponse:
    context = {"instrument": version}
    if not is_open:
        return render(request, "measures/link_gone.html", context, status=410)
    form = AnswersForm(request.POST or None, instrument=version)
    if request.method == "POST" and form.is_valid():
        try:
            administration = submit_client_link(token, form.answers(), version)
        except LinkClosed:
            return render(request, "measures/link_gone.html", context, status=410)
        except TooManyMissing as problem:
            form.point_to_unanswered(str(problem))
        except AnswerError as problem:
            form.add_error(None, str(problem))
        else:
            flags = [f for f in version.flags if f.id in administration.flags]
            return render(request, "measures/link_done.html", context | {"flags": flags})
    status = 422 if form.errors else 200
    response = render(request, "measures/link_form.html", context | {"form": form}, status=status)
    # No copy in any cache. (The site-wide Referrer-Policy "same-origin" already keeps the token from
    # other sites; "no-referrer" would make browsers send "Origin: null" and fail the CSRF check.)
    response["Cache-Control"] = "no-store"
    return response
