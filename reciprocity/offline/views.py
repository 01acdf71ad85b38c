"""The app as something a phone installs and opens offline: its web app manifest, its service worker and
the page shown when a page that is not kept offline is asked for without a connection (docs/offline.md).

All three are public and hold nothing private: a browser fetches the manifest without cookies, and the
service worker fetches the offline page without them, so what it keeps is the same for everyone.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1f5f8b"  # --accent in reciprocity.css
BACKGROUND_COLOUR = "#f4f6f9"  # --wash, the page behind everything

# What every page needs, kept by the service worker when it installs (static names are hashed, so a new
# version of a file is a new name and a new service worker).
SHELL = (
    "css/reciprocity.css",
    "vendor/htmx-2.0.11.min.js",
    "js/reciprocity.js",
    "js/offline.js",
    "img/icon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
)

# The private pages kept for offline use, each as it was when last opened online; nothing else is kept.
KEPT_PAGES = ("today:today", "therapy:reflection-create", "therapy:session-create")


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        *(
            {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ),
        *(
            {"src": static(f"img/icon-maskable-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": "maskable"}
            for size in (192, 512)
        ),
    ]  # fmt: skip
    data = {
        "id": "/",
        "name": "Reciprocity",
        "short_name": "Reciprocity",
        "description": gettext("What your work as a therapist gives you, and what it costs."),
        "start_url": reverse("today:today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "lang": translation.get_language(),  # the browser's, as LocaleMiddleware found it
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that its scope is the whole site."""
    shell = [static(name) for name in SHELL]
    pages = [reverse(name) for name in KEPT_PAGES]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    config = {
        "version": version,
        "static": settings.STATIC_URL,
        "shell": shell,
        "pages": pages,
        "offline": reverse("offline:offline-page"),
    }
    context = {"config": json.dumps(config)}
    response = render(request, "offline/service_worker.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # the browser asks for a new version on every visit
    return response


@login_not_required
@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What a page not kept offline shows without a connection; the drafts waiting are listed by offline.js."""
    return render(request, "offline/offline.html")
