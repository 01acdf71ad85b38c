import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reciprocity.checkins.selectors import checkin_history
from reciprocity.development import services
from reciprocity.development.forms import ActivityForm, GoalForm, SupportForm
from reciprocity.development.models import Activity, Goal, Support
from reciprocity.development.selectors import development_between
from reciprocity.lib.htmx import render_form


def _development_context(request: HttpRequest, activity_form: ActivityForm, goal_form: GoalForm) -> dict:
    today = timezone.localdate()
    return {
        "activities": Activity.objects.owned_by(request.user)[:100],
        "year": development_between(request.user, today.replace(month=1, day=1), today),
        "activity_form": activity_form,
        "goal_form": goal_form,
        "form": activity_form if activity_form.is_bound else goal_form,
    }


def index(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.log_activity(request.user, **form.cleaned_data)
        messages.success(request, gettext("Added to your development log."))
        return redirect("development:index")
    return render_form(request, "development/index.html", _development_context(request, form, GoalForm()))


@require_POST
def goal_create(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST)
    if form.is_valid():
        services.set_goal(request.user, **form.cleaned_data)
        messages.success(request, gettext("Goal added."))
        return redirect("development:index")
    context = _development_context(request, ActivityForm(initial={"day": timezone.localdate()}), form)
    return render_form(request, "development/index.html", context)


@require_POST
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.owned_by(request.user), pk=pk)
    try:
        services.update_progress(goal, by=request.user, progress=int(request.POST.get("progress", "")))
    except ValueError:
        messages.error(request, gettext("Progress is a whole number from 0 to 100."))
    return redirect("development:index")


DELETABLE = {"activity": Activity, "goal": Goal, "support": Support}


@require_POST
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = DELETABLE.get(kind)
    if model is None:
        raise Http404("Nothing of that kind.")
    get_object_or_404(model.objects.owned_by(request.user), pk=pk).delete()
    messages.success(request, gettext("Deleted."))
    return redirect("development:support" if kind == "support" else "development:index")


def support(request: HttpRequest) -> HttpResponse:
    from reciprocity.measures.views import chart_for

    form = SupportForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.log_support(request.user, **form.cleaned_data)
        messages.success(request, gettext("Noted. Looking after yourself is part of the work."))
        return redirect("development:support")
    since = timezone.localdate() - datetime.timedelta(days=365)
    context = {
        "form": form,
        "entries": Support.objects.owned_by(request.user).filter(day__gte=since),
        "wellbeing": [{"trajectory": t, "chart": chart_for(t)} for t in checkin_history(request.user)],
    }
    return render_form(request, "development/support.html", context)
