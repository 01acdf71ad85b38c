from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from reciprocity.clients.selectors import find_client
from reciprocity.lib.forms import parse_id
from reciprocity.lib.htmx import render_form, render_page
from reciprocity.lib.vocabulary import vocabulary_page
from reciprocity.therapy.dimensions import DIMENSIONS
from reciprocity.therapy.form_sections import reflection_form_sections, save_sections, sections_are_valid
from reciprocity.therapy.forms import ReflectionFilterForm, ReflectionForm, SessionForm
from reciprocity.therapy.models import Reflection, Session, Technique
from reciprocity.therapy.panels import reflection_panels
from reciprocity.therapy.selectors import (
    get_reflection_for,
    get_session_for,
    reflection_history,
    sent_reflection,
    sent_session,
)
from reciprocity.therapy.services import (
    AlreadyReflected,
    NotYetHappened,
    ReflectedSessionInFuture,
    record_session,
    update_reflection,
    update_session,
    write_reflection,
)

PAGE_SIZE = 25


def session_list(request: HttpRequest) -> HttpResponse:
    sessions = Session.objects.owned_by(request.user).for_listing()
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "therapy/session_list.html", {"page": page}, partial="sessions")


def session_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (sent := sent_session(request.user, request.POST.get("submission_id"))):
        return redirect(sent)  # the same form again (a draft sent twice): answered as the first time, nothing new
    if request.method == "POST":
        form = SessionForm(request.POST, therapist=request.user)
        if form.is_valid():
            session = record_session(therapist=request.user, **form.cleaned_data)
            messages.success(request, gettext("Session with {code} logged.").format(code=session.client.code))
            return redirect(session)
    else:
        now = timezone.localtime()
        initial = {"starts_at": now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)}
        if code := request.GET.get("client"):
            initial["client"] = find_client(request.user, code)
        form = SessionForm(therapist=request.user, initial=initial)
    return render_form(request, "therapy/session_form.html", {"form": form})


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    return render_page(request, "therapy/session_detail.html", {"session": session, "dimensions": DIMENSIONS})


def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    if request.method == "POST":
        form = SessionForm(request.POST, therapist=request.user, session=session)
        if form.is_valid():
            try:
                update_session(session, **form.cleaned_data)
            except ReflectedSessionInFuture as problem:
                form.add_error("starts_at", str(problem))
            else:
                messages.success(request, gettext("Session saved."))
                return redirect(session)
    else:
        form = SessionForm(therapist=request.user, session=session)
    return render_form(request, "therapy/session_form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    if request.method == "POST":
        code = session.client.code
        session.delete()
        messages.success(request, gettext("The session with {code} and its reflection were deleted.").format(code=code))
        return redirect("therapy:session-list")
    return render_page(request, "therapy/confirm_delete.html", {"object": session, "kind": "session"})


def reflection_list(request: HttpRequest) -> HttpResponse:
    form = ReflectionFilterForm(request.GET or None, author=request.user)
    filters = form.filters()
    reflections = reflection_history(request.user, filters) if filters else Reflection.objects.none()
    page = Paginator(reflections, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 200 if filters else 400
    context = {"form": form, "page": page, "dimensions": DIMENSIONS, "query": _query_without_page(request)}
    return render_page(request, "therapy/reflection_list.html", context, partial="results", status=status)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def reflection_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (sent := sent_reflection(request.user, request.POST.get("submission_id"))):
        # The same form again (a draft sent twice): answered as the first time, and nothing new is saved.
        return redirect("today:today") if sent.session_id else redirect(sent)
    session = None
    if "session" in request.GET:
        if (pk := parse_id(request.GET["session"])) is None:
            raise Http404("No such session.")
        session = get_session_for(request.user, pk, with_reflection=True)
        if session.has_reflection:
            return redirect("therapy:reflection-edit", pk=session.reflection.pk)
    if request.method == "POST":
        form = ReflectionForm(request.POST, author=request.user)
        sections = reflection_form_sections(request.user, data=request.POST)
        if form.is_valid() and sections_are_valid(sections, form):
            chosen = form.cleaned_data.get("session")
            if session is not None and chosen is not None and chosen.pk == session.pk:
                chosen = session  # the one read above, with its client: the service's owner check asks nothing
            try:
                with transaction.atomic():  # the answers of the form's sections are saved with it, or nothing is
                    reflection = write_reflection(
                        author=request.user, session=chosen, ratings=form.ratings, **form.details
                    )
                    save_sections(sections, reflection)
            except (AlreadyReflected, NotYetHappened) as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, gettext("Reflection saved. Thank you for taking the minute."))
                return redirect("today:today") if chosen else redirect(reflection)
        session = session or form.cleaned_data.get("session")
    else:
        form = ReflectionForm(author=request.user, session=session)
        sections = reflection_form_sections(request.user)
    context = {"form": form, "session": session, "dimensions": DIMENSIONS, "sections": sections}
    return render_form(request, "therapy/reflection_form.html", context)


def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for(request.user, pk)
    context = {"reflection": reflection, "dimensions": DIMENSIONS, "panels": reflection_panels(request, reflection)}
    return render_page(request, "therapy/reflection_detail.html", context)


def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for(request.user, pk)
    if request.method == "POST":
        form = ReflectionForm(request.POST, author=request.user, instance=reflection)
        sections = reflection_form_sections(request.user, reflection, request.POST)
        if form.is_valid() and sections_are_valid(sections, form):
            with transaction.atomic():
                update_reflection(reflection, ratings=form.ratings, **form.details)
                save_sections(sections, reflection)
            messages.success(request, gettext("Reflection saved."))
            return redirect(reflection)
    else:
        form = ReflectionForm(author=request.user, instance=reflection)
        sections = reflection_form_sections(request.user, reflection)
    context = {
        "form": form,
        "sections": sections,
        "reflection": reflection,
        "session": reflection.session,
        "dimensions": DIMENSIONS,
    }
    return render_form(request, "therapy/reflection_form.html", context)


@require_http_methods(["GET", "POST"])
def reflection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for(request.user, pk)
    if request.method == "POST":
        reflection.delete()
        messages.success(request, gettext("Reflection deleted."))
        return redirect("therapy:reflection-list")
    return render_page(request, "therapy/confirm_delete.html", {"object": reflection, "kind": "reflection"})


def techniques(request: HttpRequest) -> HttpResponse:
    return vocabulary_page(request, Technique, title=gettext("Techniques"), back="therapy:session-list")
