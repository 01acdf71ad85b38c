"""One page template per URL; htmx requests get the named fragment, plain requests the whole page."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

INVALID = 422  # the form was understood but its values were not acceptable; nothing was saved


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    name = f"{template}#{partial}" if partial and getattr(request, "htmx", False) else template
    return render(request, name, context, status=status)


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str | None = None
) -> HttpResponse:
    """Render a page with a form; an invalid submitted form answers 422 so clients can tell."""
    form = context.get("form")
    status = INVALID if request.method == "POST" and form is not None and form.errors else 200
    return render_page(request, template, context, partial=partial, status=status)
