from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from reciprocity.checkins.selectors import checkin_history, due_checkins
from reciprocity.lib.htmx import render_form, render_page
from reciprocity.measures import registry
from reciprocity.measures.forms import AnswersForm
from reciprocity.measures.scoring import AnswerError
from reciprocity.measures.services import record_administration
from reciprocity.measures.views import chart_for, instrument_or_404


def index(request: HttpRequest) -> HttpResponse:
    history = [{"trajectory": t, "chart": chart_for(t)} for t in checkin_history(request.user)]
    context = {"due": due_checkins(request.user), "history": history, "all": registry.for_audience("therapist")}
    return render_page(request, "checkins/index.html", context)


def create(request: HttpRequest, instrument_id: str) -> HttpResponse:
    instrument = instrument_or_404(instrument_id, "therapist")
    form = AnswersForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            record_administration(
                therapist=request.user, instrument=instrument, answers=form.answers(), note=form.cleaned_data["note"]
            )
        except AnswerError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request,
                gettext("{instrument} saved. Thank you for checking in with yourself.").format(
                    instrument=instrument.short_name
                ),
            )
            return redirect("checkins:index")
    return render_form(request, "checkins/checkin_form.html", {"form": form, "instrument": instrument})
