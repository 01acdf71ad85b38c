from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from reciprocity.lib.htmx import INVALID, render_form, render_page
from reciprocity.peers import services
from reciprocity.peers.forms import AddMemberForm, GroupForm, PostForm
from reciprocity.peers.models import Group, Post, Reply
from reciprocity.sharing.services import SharingError


def _group_for(user, pk: int) -> Group:
    """A group the user belongs to; any other is 404."""
    return get_object_or_404(Group.objects.filter(members__user=user), pk=pk)


def index(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(request.user, form.cleaned_data["name"], form.cleaned_data["members"])
        except SharingError as problem:
            form.add_error("members", str(problem))
        else:
            messages.success(request, gettext("Your group is ready."))  # no name: messages travel in a cookie
            return redirect(group)
    groups = Group.objects.filter(members__user=request.user)
    return render_form(request, "peers/index.html", {"groups": groups, "form": form})


def _page(
    request: HttpRequest,
    group: Group,
    post_form: PostForm,
    status: int = 200,
    reply_to: Post | None = None,
) -> HttpResponse:
    replies = Prefetch("replies", queryset=Reply.objects.select_related("author"))
    context = {
        "group": group,
        "members": group.members.select_related("user"),
        "posts": group.posts.select_related("author").prefetch_related(replies),
        "form": post_form,
        "reply_to": reply_to,
        "add_form": AddMemberForm(user=request.user),
        **post_form.review(),
    }
    return render_page(request, "peers/group.html", context, status=status)


def group(request: HttpRequest, pk: int) -> HttpResponse:
    item = _group_for(request.user, pk)
    if request.method != "POST":
        return _page(request, item, PostForm())
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            services.post(item, by=request.user, text=form.cleaned_data["text"],
                          confirmed=form.cleaned_data["confirm"])  # fmt: skip
        except SharingError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, gettext("Posted to the group."))
            return redirect(item)
    return _page(request, item, form, status=INVALID)


@require_POST
def reply(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    item = _group_for(request.user, pk)
    post = get_object_or_404(Post, group=item, pk=post_pk)
    try:
        services.reply(post, by=request.user, text=request.POST.get("text", ""),
                       confirmed=request.POST.getlist("confirm"))  # fmt: skip
    except SharingError as problem:
        form = PostForm(request.POST)
        form.is_valid()
        form.add_error(None, gettext("Your reply was not posted. {problem}").format(problem=problem))
        return _page(request, item, form, status=INVALID, reply_to=post)
    return redirect(item)


@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    item = _group_for(request.user, pk)
    form = AddMemberForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, gettext("Choose a colleague of your practice."))
        return redirect(item)
    try:
        services.add_member(item, by=request.user, user=form.cleaned_data["user"])
    except SharingError as problem:
        messages.error(request, str(problem))
    return redirect(item)


@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    item = _group_for(request.user, pk)
    removed = services.leave(item, user=request.user)
    left = ngettext(
        "You left the group; {n} of your posts and replies was taken out of it.",
        "You left the group; {n} of your posts and replies were taken out of it.",
        removed,
    )
    messages.success(request, left.format(n=removed))
    return redirect("peers:index")
