from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from reciprocity.lib.forms import parse_id
from reciprocity.lib.htmx import render_form, render_page
from reciprocity.repertoire.forms import ItemForm, TrialForm
from reciprocity.repertoire.helps import CONFIDENCE, MIN_DAYS, MIN_TRIES, MOOD_AFTER, WELLBEING
from reciprocity.repertoire.selectors import get_item_for, get_trial_for, repertoire_of, what_helps_me
from reciprocity.repertoire.services import add_item, log_trial, prefill_from, update_item
from reciprocity.therapy.dimensions import BY_KEY, DIMENSIONS
from reciprocity.therapy.selectors import get_reflection_for


def index(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag", "")[:40]
    dimension = request.GET.get("dimension", "")
    if dimension and dimension not in BY_KEY:
        dimension = ""
    repertoire = repertoire_of(request.user, tag=tag, dimension=dimension)
    helps = what_helps_me(request.user, repertoire.tried)
    context = {
        "repertoire": repertoire,
        "helps": helps,
        "compared": [row for row in helps if row.helps.has_enough_tries],  # the table; the rest listed beside
        "too_few": [row for row in helps if not row.helps.has_enough_tries],
        "rules": {
            "min_tries": MIN_TRIES,
            "min_days": MIN_DAYS,
            "percent": round(CONFIDENCE * 100),
            "wellbeing": WELLBEING,
            "mood_after": MOOD_AFTER,
        },  # what the small print states
        "tag": tag,
        "dimension": BY_KEY.get(dimension),
        "dimensions": DIMENSIONS,
    }
    return render_page(request, "repertoire/index.html", context)


def create(request: HttpRequest) -> HttpResponse:
    reflection = None
    if "reflection" in request.GET:
        if (pk := parse_id(request.GET["reflection"])) is None:
            raise Http404("No such reflection.")
        reflection = get_reflection_for(request.user, pk)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            item = add_item(owner=request.user, reflection=reflection, **form.values)
            messages.success(request, gettext("Added to your repertoire."))  # no title: messages travel in a cookie
            return redirect(item)
    else:
        form = ItemForm(initial=prefill_from(reflection) if reflection else None)
    return render_form(request, "repertoire/item_form.html", {"form": form, "reflection": reflection})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk)
    context = {"item": item, "trials": item.trials.all(), "trial_form": TrialForm(), "dimensions": BY_KEY}
    return render_page(request, "repertoire/item_detail.html", context)


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            update_item(item, **form.values)
            messages.success(request, gettext("Saved."))
            return redirect(item)
    else:
        form = ItemForm(initial={**{f: getattr(item, f) for f in ("title", "description", "origin", "dimensions")},
                                 "tags": ", ".join(item.tags)})  # fmt: skip
    return render_form(request, "repertoire/item_form.html", {"form": form, "item": item})


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk)
    if request.method == "POST":
        item.delete()
        messages.success(request, gettext("Deleted from your repertoire, with its tries."))
        return redirect("repertoire:index")
    return render_page(request, "therapy/confirm_delete.html", {"object": item, "kind": "repertoire item"})


@require_POST
def trial_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for(request.user, pk)
    form = TrialForm(request.POST)
    if form.is_valid():
        log_trial(item, by=request.user, **form.values)
        messages.success(request, gettext("Logged. Thank you for trying it on yourself."))
        return redirect(item)
    context = {"item": item, "trials": item.trials.all(), "trial_form": form, "dimensions": BY_KEY}
    return render_form(request, "repertoire/item_detail.html", context | {"form": form})


@require_POST
def trial_delete(request: HttpRequest, pk: int) -> HttpResponse:
    trial = get_trial_for(request.user, pk)
    trial.delete()
    messages.success(request, gettext("That try was deleted."))
    return redirect(trial.item)
