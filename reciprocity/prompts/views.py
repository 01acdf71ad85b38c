from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from reciprocity.lib.forms import parse_id
from reciprocity.lib.htmx import INVALID, render_page
from reciprocity.practice.models import Practice, User
from reciprocity.prompts import services
from reciprocity.prompts.forms import AnswersForm, PromptForm
from reciprocity.prompts.models import Prompt
from reciprocity.prompts.selectors import answers_of, asked_on, directed_practice, practice_of, prompts_for
from reciprocity.therapy.form_sections import FormSection
from reciprocity.therapy.models import Reflection


def _answers_form(author: User, reflection: Reflection | None, data: QueryDict | None) -> AnswersForm | None:
    asked = asked_on(author, reflection)
    return AnswersForm(data, asked=asked) if asked else None


def _save_answers(reflection: Reflection, form: AnswersForm) -> None:
    services.save_answers(reflection, form.answers)


# The reflection form's section (therapy/form_sections.py): the prompts after the reflection's two texts.
FORM_SECTION = FormSection(template="prompts/fields.html", make_form=_answers_form, save=_save_answers)


def answers_panel(request: HttpRequest, reflection: Reflection) -> str:
    """The reflection page's answers to the therapist's own prompts, or "" when there are none."""
    answers = answers_of(reflection)
    return render_to_string("prompts/answers.html", {"answers": answers}, request) if answers else ""


def settings_panel(request: HttpRequest) -> str:
    """The settings page's section: the prompts this person is asked, and where to change them."""
    prompts = prompts_for(request.user)
    own = bool(prompts) and prompts[0].therapist_id == request.user.pk
    context = {"prompts": prompts, "own": own, "directs": directed_practice(request.user)}
    return render_to_string("prompts/settings_panel.html", context, request)


def _manage(request: HttpRequest, owner: User | Practice, here: str, context: dict) -> HttpResponse:
    """Add, change or remove one of the owner's prompts (POST `action` add, edit or remove), or show them."""
    status, failed = 200, None
    if request.method == "POST":
        action = request.POST.get("action", "add")
        prompt = _prompt_of(owner, request.POST.get("prompt")) if action in {"edit", "remove"} else None
        form = PromptForm(request.POST)
        try:
            if action == "remove":
                services.remove_prompt(prompt)
                messages.success(request, gettext("Prompt removed. Its answers stay with their reflections."))
                return redirect(here)
            if form.is_valid():
                if prompt is None:
                    services.add_prompt(owner, form.cleaned_data["text"])
                else:
                    services.edit_prompt(prompt, form.cleaned_data["text"])
                messages.success(request, gettext("Prompt saved."))
                return redirect(here)
        except services.PromptError as problem:
            form.add_error("text", str(problem))
        status, failed = INVALID, (prompt.pk if prompt else "new", form)
    prompts = list(Prompt.objects.of(owner).active())

    def form_of(key: int | str, initial: str = "") -> PromptForm:  # the refused form keeps its words and errors
        return failed[1] if failed and failed[0] == key else PromptForm(initial={"text": initial})

    editing = [(p, form_of(p.pk, p.text)) for p in prompts]
    adding = form_of("new")
    context |= {"editing": editing, "adding": adding, "is_full": len(prompts) >= 3, "action": here, "failed": failed}
    return render_page(request, "prompts/manage.html", context, status=status)


def _prompt_of(owner: User | Practice, raw: str | None) -> Prompt:
    pk = parse_id(raw)
    prompt = Prompt.objects.of(owner).active().filter(pk=pk).first() if pk else None
    if prompt is None:
        raise Http404("No such prompt.")
    return prompt


@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The therapist's own prompts, up to three; while they have none, the practice's defaults are asked."""
    practice = practice_of(request.user)
    defaults = list(Prompt.objects.of(practice).active()) if practice else []
    context = {"title": gettext("My own prompts"), "is_practice": False, "defaults": defaults}
    return _manage(request, request.user, reverse("prompts:mine"), context)


@require_http_methods(["GET", "POST"])
def practice_defaults(request: HttpRequest) -> HttpResponse:
    """For directors: the prompts every therapist of the practice is asked until they write their own."""
    practice = directed_practice(request.user)
    if practice is None:
        raise PermissionDenied("Only a practice's director sets its default prompts.")
    title = gettext("Default prompts of %(name)s") % {"name": practice.name}
    context = {"title": title, "is_practice": True, "practice": practice}
    return _manage(request, practice, reverse("prompts:practice"), context)
