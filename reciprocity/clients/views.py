from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from reciprocity.clients.codes import WHY_CODES, next_code
from reciprocity.clients.forms import ClientForm
from reciprocity.clients.models import Client, Concern
from reciprocity.clients.selectors import client_list, get_client_for
from reciprocity.clients.services import DuplicateCode, register_client, update_client
from reciprocity.lib.htmx import render_form, render_page
from reciprocity.lib.vocabulary import vocabulary_page


def index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    if status not in {"active", "ended", "all"}:
        status = "active"
    clients = client_list(request.user, status=status)
    return render_page(request, "clients/client_list.html", {"clients": clients, "status": status})


def create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ClientForm(request.POST, therapist=request.user)
        if form.is_valid():
            try:
                client = register_client(therapist=request.user, **form.cleaned_data)
            except DuplicateCode:
                form.add_error("code", gettext("You already have a client with this code."))
            else:
                messages.success(request, gettext("Client {code} added.").format(code=client.code))
                return redirect(client)
    else:
        existing = list(Client.objects.owned_by(request.user).values_list("code", flat=True))
        form = ClientForm(therapist=request.user, initial={"code": next_code(existing)})
    return render_form(request, "clients/client_form.html", {"form": form, "why_codes": WHY_CODES})


def detail(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    sessions = client.sessions.for_listing()  # through the relation, so clients need not import therapy
    return render_page(request, "clients/client_detail.html", {"client": client, "sessions": sessions})


def edit(request: HttpRequest, code: str) -> HttpResponse:
    client = get_client_for(request.user, code)
    if request.method == "POST":
        form = ClientForm(request.POST, therapist=request.user, client=client)
        if form.is_valid():
            try:
                update_client(client, **form.cleaned_data)
            except DuplicateCode:
                form.add_error("code", gettext("You already have a client with this code."))
            else:
                messages.success(request, gettext("Client {code} saved.").format(code=client.code))
                return redirect(client)
    else:
        form = ClientForm(therapist=request.user, client=client)
    context = {"form": form, "client": client, "why_codes": WHY_CODES}
    return render_form(request, "clients/client_form.html", context)


def concerns(request: HttpRequest) -> HttpResponse:
    return vocabulary_page(request, Concern, title=gettext("Presenting concerns"), back="clients:index")
