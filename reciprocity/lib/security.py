"""Browser-side protection sent with every response, in every profile: a Content-Security-Policy
that allows no inline script and no inline style, and a Permissions-Policy that turns off the
device features the app never uses.

Django's SecurityMiddleware already sends Cross-Origin-Opener-Policy, Referrer-Policy and
X-Content-Type-Options (see config/settings.py), and XFrameOptionsMiddleware sends X-Frame-Options.

A page that must carry a fixed inline stylesheet (the 500 page, which loads nothing so that it cannot
fail too; a report shown in the browser, whose CSS is inline because the PDF fetches nothing) names that
CSS with `allow_inline_style`, and only that exact text is allowed, by its SHA-256 hash.

The API docs (/api/v1/docs) need no exception: django-ninja serves Swagger UI from its own static files
and passes its settings in a <script type="application/json"> data block, which browsers never execute.
"""

import base64
import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip

# A page that offers speaking instead of typing (voice/controls.html marks its request) may use the
# microphone, from its own origin only.
MICROPHONE_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace("microphone=()", "microphone=(self)")

_STYLE_HASHES = "_reciprocity_inline_style_hashes"


def source_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline text, e.g. the body of one <style> element."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(style_hashes: tuple[str, ...] = ()) -> str:
    """The policy as a header value, with any extra inline-style hashes added to style-src."""
    directives = dict(CONTENT_SECURITY_POLICY)
    directives["style-src"] = (*directives["style-src"], *style_hashes)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def allow_inline_style(response: HttpResponse, *css: str) -> HttpResponse:
    """Let this one response use <style> elements whose text is exactly one of `css`."""
    hashes = getattr(response, _STYLE_HASHES, ())
    setattr(response, _STYLE_HASHES, (*hashes, *(source_hash(text) for text in css)))
    return response


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: add the Content-Security-Policy and Permissions-Policy headers to every response."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers["Content-Security-Policy"] = content_security_policy(getattr(response, _STYLE_HASHES, ()))
        allowed = MICROPHONE_PERMISSIONS_POLICY if getattr(request, "allows_microphone", False) else PERMISSIONS_POLICY
        response.headers.setdefault("Permissions-Policy", allowed)
        return response

    return middleware
