from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reciprocity.lib.htmx import INVALID, render_form, render_page
from reciprocity.sharing import pii, services, summaries
from reciprocity.sharing.display import share_title
from reciprocity.sharing.forms import CommentForm, InviteForm, MeetingForm, ShareReflectionForm
from reciprocity.sharing.models import Kind, Supervision
from reciprocity.sharing.selectors import (
    accesses,
    invitation_for,
    meetings_with_agenda,
    share_for,
    supervision_of,
    threads,
)
from reciprocity.therapy.selectors import get_reflection_for


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "mine": Supervision.objects.filter(therapist=user, ended_at__isnull=True).select_related("supervisor"),
        "supervisees": Supervision.objects.active().filter(supervisor=user).select_related("therapist"),
        "invitations": Supervision.objects.pending().filter(supervisor=user).select_related("therapist"),
        "form": InviteForm(user=user),
    }
    return render_page(request, "sharing/index.html", context)


@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            supervision = services.invite(request.user, form.cleaned_data["supervisor"])
        except services.SharingError as problem:
            form.add_error("supervisor", str(problem))
        else:
            invited = gettext("{name} is invited. Nothing is shared until you choose what to share.")
            messages.success(request, invited.format(name=supervision.supervisor.display_name))
            return redirect("sharing:index")
    context = {"mine": Supervision.objects.filter(therapist=request.user, ended_at__isnull=True), "form": form,
               "supervisees": [], "invitations": []}  # fmt: skip
    return render_form(request, "sharing/index.html", context)


@require_POST
def invite_link(request: HttpRequest) -> HttpResponse:
    try:
        supervision, token = services.invite_by_link(request.user)
    except services.SharingError as problem:
        messages.error(request, str(problem))
        return redirect("sharing:index")
    url = request.build_absolute_uri(f"/supervision/join/{token}/")
    return render(request, "sharing/link_created.html", {"supervision": supervision, "url": url})


def join(request: HttpRequest, token: str) -> HttpResponse:
    supervision = services.pending_by_token(token)
    if supervision is None:
        return render(request, "sharing/join.html", {"gone": True}, status=410)
    if request.method == "POST":
        try:
            services.accept(supervision, request.user)
        except services.SharingError as problem:
            return render(request, "sharing/join.html", {"supervision": supervision, "problem": str(problem)},
                          status=400)  # fmt: skip
        messages.success(request, gettext("You now supervise {name}.").format(name=supervision.therapist.display_name))
        return redirect(supervision)
    return render(request, "sharing/join.html", {"supervision": supervision})


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = invitation_for(request.user, pk)
    if request.POST.get("answer") == "0":  # the Decline button; Accept sends 1
        services.end(supervision, request.user)
        messages.success(request, gettext("Invitation declined."))
        return redirect("sharing:index")
    try:
        services.accept(supervision, request.user)
    except services.SharingError as problem:
        messages.error(request, str(problem))
        return redirect("sharing:index")
    messages.success(request, gettext("You now supervise {name}.").format(name=supervision.therapist.display_name))
    return redirect(supervision)


def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    item = supervision_of(request.user, pk)
    if item.therapist_id == request.user.pk:
        context = {
            "supervision": item,
            "shares": item.shares.filter(revoked_at__isnull=True).select_related("reflection"),
            "consents": set(item.shares.filter(revoked_at__isnull=True).values_list("kind", flat=True)),
            "views": accesses(item),
            "meetings": meetings_with_agenda(item.meetings.all(), live_only=False),
            "kinds": Kind,
        }
        return render_page(request, "sharing/manage.html", context)
    live = list(item.shares.live().select_related("reflection"))
    kinds = {s.kind for s in live}
    context = {
        "supervision": item,
        "reflections": [s for s in live if s.kind == Kind.REFLECTION],
        "consents": {s.kind: s for s in live if s.kind != Kind.REFLECTION},
        "wellbeing": summaries.wellbeing(item.therapist) if Kind.WELLBEING in kinds else None,
        "flywheel": summaries.flywheel_summary(item.therapist) if Kind.FLYWHEEL in kinds else None,
        "meetings": meetings_with_agenda(item.meetings.all(), live_only=True),
    }
    for kind in kinds - {Kind.REFLECTION}:
        what = f"read {Kind(kind).label.replace('My', 'the')}"
        services.record_view(item, request.user, what, context["consents"][kind], request=request)
    services.record_view(item, request.user, "read the list of shared items", request=request)
    return render_page(request, "sharing/supervisee.html", context)


@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    item = supervision_of(request.user, pk)
    services.end(item, request.user)
    messages.success(request, gettext("The supervision has ended; nothing is shared any more."))
    return redirect("sharing:index")


@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    item = supervision_of(request.user, pk)
    if item.therapist_id != request.user.pk:
        raise Http404("No such supervision.")
    try:
        services.set_consent(item, request.POST.get("kind", ""), by=request.user, on=request.POST.get("on") == "1")
    except services.SharingError as problem:
        messages.error(request, str(problem))
    return redirect(item)


def _share_context(share, form: CommentForm) -> dict:
    therapist = share.supervision.therapist
    parent = form.data.get("parent") if form.is_bound else None
    return {
        "share": share,
        "threads": threads(share),
        "form": form,
        "replying_to": share.comments.filter(pk=parent).first() if parent and str(parent).isdigit() else None,
        **form.review(),
        "wellbeing": summaries.wellbeing(therapist) if share.kind == Kind.WELLBEING else None,
        "flywheel": summaries.flywheel_summary(therapist) if share.kind == Kind.FLYWHEEL else None,
    }


def share_detail(request: HttpRequest, pk: int) -> HttpResponse:
    share = share_for(request.user, pk)
    if share.supervision.therapist_id != request.user.pk:
        services.record_view(share.supervision, request.user, f"read “{share}”", share, request=request)
    return render_page(request, "sharing/share.html", _share_context(share, CommentForm()))


@require_POST
def share_comment(request: HttpRequest, pk: int) -> HttpResponse:
    share = share_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = share.comments.filter(pk=form.cleaned_data["parent"]).first()
            if parent is None:
                form.add_error("text", gettext("That comment is not on this item."))
        if not form.errors:
            try:
                with transaction.atomic():
                    services.comment(share, by=request.user, text=form.cleaned_data["text"], parent=parent,
                                     confirmed=form.cleaned_data["confirm"])  # fmt: skip
                    services.record_change(share.supervision, request.user, f"commented on “{share}”", share, request)
            except services.SharingError as problem:
                form.add_error("text", str(problem))
            else:
                return redirect(share)
    return render_form(request, "sharing/share.html", _share_context(share, form))


@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    share = share_for(request.user, pk)
    if share.supervision.therapist_id != request.user.pk:
        raise Http404("No such shared item.")
    services.revoke(share, by=request.user)
    messages.success(request, gettext("“{item}” is no longer shared.").format(item=share_title(share)))
    return redirect(share.supervision)


def share_reflection(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for(request.user, pk)
    original = "\n\n".join(p for p in (reflection.gave_me, reflection.carry_home) if p)
    data = request.POST if request.method == "POST" else None
    text = (data or {}).get("text", original)
    confirmed = set(request.POST.getlist("confirm")) if data is not None else set()
    review = pii.review(text, confirmed)
    keys = [f.key for f in review["findings"]]
    form = ShareReflectionForm(data, user=request.user, keys=keys, initial={"text": original})
    status = 200
    if data is not None and form.is_valid():
        try:
            cleaned = form.cleaned_data
            share = services.share_reflection(
                cleaned["supervision"], reflection, by=request.user, text=cleaned["text"], confirmed=cleaned["confirm"]
            )
        except services.SharingError as problem:
            form.add_error(None, str(problem))
        else:
            supervisor = share.supervision.supervisor.display_name
            messages.success(request, gettext("Shared with {name}.").format(name=supervisor))
            return redirect(share)
    context = {"form": form, "reflection": reflection, **review}
    if form.is_bound and form.errors:
        status = INVALID
    return render_page(request, "sharing/share_reflection.html", context, status=status)


def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = supervision_of(request.user, pk)
    form = MeetingForm(request.POST or None, supervision=item)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                fields = form.cleaned_data
                meeting = services.record_meeting(
                    item, by=request.user, held_on=fields["held_on"], agenda=fields["agenda"],
                    notes=fields["notes"], confirmed=fields["confirm"],
                )  # fmt: skip
                what = f"wrote the notes of the meeting of {meeting.held_on:%d %b %Y}"
                services.record_change(item, request.user, what, meeting, request)
        except services.SharingError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, gettext("Meeting notes saved."))
            return redirect(item)
    context = {"form": form, "supervision": item, **form.review("notes")}
    return render_form(request, "sharing/meeting_form.html", context)
