"""Every page is sent with a Content-Security-Policy that allows no inline script, and none needs one.

The sweep reads each page's HTML: no <script> without src, no on*= handler, no style= attribute, and
no <style> element unless the policy names its exact text by hash. The browser side (no "Refused to ..."
in the console, htmx still working) is tests/browser/test_csp.py.
"""

import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from reciprocity.lib.security import (
    CONTENT_SECURITY_POLICY,
    MICROPHONE_PERMISSIONS_POLICY,
    PERMISSIONS_POLICY,
    source_hash,
)
from tests.sweep import fill, owned_objects
from tests.test_isolation import NOT_OWNED, OUR_PATTERNS, OWNED, POST_ONLY

POLICY = "; ".join(f"{name} {' '.join(sources)}" for name, sources in CONTENT_SECURITY_POLICY.items())


class _Inline(HTMLParser):
    """Collects what a strict Content-Security-Policy would refuse to run or apply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.problems += [f"<{tag} {name}=…>" for name in names if name.startswith("on") or name == "style"]
        if any((value or "").strip().lower().startswith("javascript:") for value in names.values()):
            self.problems.append(f"<{tag}> with a javascript: URL")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in, self._text = "script", ""
        elif tag == "style":
            self._in, self._text = "style", ""

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in == "script":
            self.problems.append(f"inline <script>: {self._text.strip()[:60]!r}")
        elif tag == self._in == "style":
            self.styles.append(self._text)
        if tag == self._in:
            self._in = None


def _inline_problems(response) -> list[str]:
    """What the page's own policy would block; an inline <style> passes only if its hash is in the policy."""
    parser = _Inline()
    parser.feed(response.content.decode())
    policy = response["Content-Security-Policy"]
    style_src = next(d for d in policy.split("; ") if d.startswith("style-src "))
    return parser.problems + [f"<style> not named in style-src: {s[:60]!r}" for s in parser.styles
                              if source_hash(s) not in style_src.split()]  # fmt: skip


def _pages(objects) -> list[str]:
    pages = [fill(route, {}) for name, route, conv in OUR_PATTERNS if not conv and name != "practice:logout"]
    pages += [fill(route, NOT_OWNED[name]) for name, route, conv in OUR_PATTERNS if name in NOT_OWNED]
    pages += [fill(route, OWNED[name](objects)) for name, route, _ in OUR_PATTERNS
              if name in OWNED and name not in POST_ONLY]  # fmt: skip
    return [*pages, "/search/?q=patience", "/api/v1/docs", "/no/such/page/"]


def test_every_page_has_the_policy_and_nothing_inline_it_would_block(as_ana, ana_reflection):
    checked, problems = [], {}
    for url in _pages(owned_objects(ana_reflection)):  # every object page too, with something of every kind
        response = as_ana.get(url)
        csp = response.get("Content-Security-Policy", "")
        assert csp.startswith(POLICY.split("; style-src")[0]), f"{url} has no strict policy: {csp!r}"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        # Only the reflection form, which offers speaking instead of typing, may use the microphone.
        microphone = "/reflections/new/" in url or (url.startswith("/reflections/") and url.endswith("/edit/"))
        expected = MICROPHONE_PERMISSIONS_POLICY if microphone else PERMISSIONS_POLICY
        assert response["Permissions-Policy"] == expected, url
        if response["Content-Type"].startswith("text/html"):
            checked.append(url)
            if found := _inline_problems(response):
                problems[url] = found
    assert problems == {}
    # The sweep must actually have read pages, including the ones with allowed inline styles.
    assert len(checked) > 40
    assert {"/reports/monthly.html", "/api/v1/docs", "/sessions/", "/reports/"} <= set(checked)


def test_the_policy_header_is_exactly_the_documented_one(as_ana):
    response = as_ana.get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_signed_out_pages_and_json_carry_the_policy_too(client):
    for url in ("/accounts/login/", "/api/v1/sessions", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self';"), url


def test_a_report_in_the_browser_allows_exactly_its_own_stylesheets(as_ana, ana_reflection):
    from reciprocity.reports.render import INLINE_STYLES

    response = as_ana.get("/reports/monthly.html")
    assert response.status_code == 200
    style_src = next(d for d in response["Content-Security-Policy"].split("; ") if d.startswith("style-src"))
    assert style_src.split() == ["style-src", "'self'", *(source_hash(css) for css in INLINE_STYLES)]
    assert _inline_problems(response) == []
    changed = response.content.decode().replace(".colophon { margin-top: 8mm; }", ".colophon { margin-top: 9mm; }")
    assert changed != response.content.decode()
    response.content = changed.encode()
    assert any("not named in style-src" in p for p in _inline_problems(response)), "the check itself must bite"


def test_the_server_error_page_allows_only_its_own_inline_style(settings, client, ana):
    from reciprocity.config.errors import PLAIN_STYLE

    settings.ROOT_URLCONF = "tests.failing_urls"
    client.raise_request_exception = False
    client.force_login(ana)
    response = client.get("/crash/")
    assert response.status_code == 500
    assert source_hash(PLAIN_STYLE) in response["Content-Security-Policy"]
    assert _inline_problems(response) == []


@pytest.mark.engine_independent  # the HTML check alone, on fixed markup
@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<button onclick="go()">', "<button onclick=…>"),
        ('<p style="color:red">', "<p style=…>"),
        ("<script>alert(1)</script>", "inline <script>: 'alert(1)'"),
        ('<a href="javascript:go()">', "<a> with a javascript: URL"),
    ],
)
def test_the_html_check_finds_what_the_policy_would_block(html, found):
    parser = _Inline()
    parser.feed(html)
    assert parser.problems == [found]


@pytest.mark.engine_independent  # DATABASE_URL removed: a SQLite file of its own on either run
def test_the_production_profile_redirects_to_https_and_sends_hsts(tmp_path):
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='reciprocity.example'); "
        "r = c.get('/api/v1/openapi.json'); print(r.status_code, r['Location']); "
        "r = c.get('/api/v1/openapi.json', secure=True); print(r.status_code, r['Strict-Transport-Security']); "
        "from django.conf import settings as s; print(s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY)"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY_FILE"}}
    environment |= {
        "RECIPROCITY_DATA_DIR": str(tmp_path),
        "RECIPROCITY_PROFILE": "production",
        "ALLOWED_HOSTS": "reciprocity.example",
        "SECRET_KEY": "",
        "DJANGO_SETTINGS_MODULE": "reciprocity.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://reciprocity.example/api/v1/openapi.json",
        "200 max-age=31536000; includeSubDomains; preload",
        "True True",
    ]


@pytest.mark.engine_independent  # app_env without a URL: a SQLite file of its own on either run
def test_behind_a_local_tls_proxy_the_production_server_redirects_plain_http_only(tmp_path, static_files):
    """`reciprocity serve` trusts X-Forwarded-Proto from a proxy on 127.0.0.1: no SECURE_PROXY_SSL_HEADER needed."""
    import http.client
    import time

    from tests.servers import app_env, free_port, link_static, run_cli

    env = app_env(tmp_path) | {"RECIPROCITY_PROFILE": "production", "ALLOWED_HOSTS": "127.0.0.1", "SECRET_KEY": ""}
    link_static(static_files, tmp_path)
    assert run_cli(["migrate", "--no-input", "-v", "0"], env).returncode == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "reciprocity", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def get(headers: dict[str, str]) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/accounts/login/", headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                through_proxy = get({"X-Forwarded-Proto": "https"})
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.3)
        plain = get({})
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (plain.status, plain.getheader("Location")) == (301, f"https://127.0.0.1:{port}/accounts/login/")
    assert through_proxy.status == 200
    assert through_proxy.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "Secure" in through_proxy.getheader("Set-Cookie") and "HttpOnly" in through_proxy.getheader("Set-Cookie")
