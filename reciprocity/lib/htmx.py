"""One page template per URL; htmx requests get the named fragment, plain requests the whole page."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

INVALID = 422  # the form was understood but its values were not acceptable; nothing was saved


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    # A history restore (Back after paging) needs the whole page, not the fragment.
    wants_fragment = bool(partial and htmx and not htmx.history_restore_request)
    response = render(request, f"{template}#{partial}" if wants_fragment else template, context, status=status)
    if partial:
        patch_vary_headers(response, ["HX-Request"])  # never let a cache serve a fragment as a page
    return response


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str | None = None
) -> HttpResponse:
    """Render a page with a form; an invalid submitted form answers 422 so clients can tell."""
    form = context.get("form")
    status = INVALID if request.method == "POST" and form is not None and form.errors else 200
    return render_page(request, template, context, partial=partial, status=status)
