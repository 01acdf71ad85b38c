"""The app installs: its manifest and service worker are served from the site's root to anyone, and the
service worker keeps only the shell and the three pages meant to open offline (docs/offline.md)."""

import json
import re

from django.conf import settings
from django.contrib.staticfiles import finders

from tests.builders import sign_in


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "Reciprocity", "/", "/", "standalone"
    )  # fmt: skip
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert manifest["theme_color"] == "#1f5f8b"


def test_every_icon_of_the_manifest_is_a_static_file(client):
    for icon in json.loads(client.get("/manifest.webmanifest").content)["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response  # at the root, its scope is the whole site anyway


def test_the_service_worker_keeps_the_shell_and_only_three_pages(client):
    text = client.get("/sw.js").content.decode()
    config = json.loads(text.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["pages"] == ["/", "/reflections/new/", "/sessions/new/"]
    assert "/static/js/offline.js" in config["shell"] and "/static/css/reciprocity.css" in config["shell"]
    assert config["offline"] == "/offline/"


def test_the_offline_page_names_nobody(client, ana):
    html = client.get("/offline/").content.decode()
    # The page's random CSRF token could spell "Ana" by chance (it once did): it is left out of the check.
    assert "Ana" not in re.sub(r'<meta name="csrf-token" content="[^"]*">', "", html)
    signed_in = sign_in(client, ana).get("/offline/")
    assert signed_in.status_code == 200 and "You are offline" in signed_in.content.decode()


def test_every_page_links_the_manifest_and_loads_the_offline_script(client, ana):
    html = sign_in(client, ana).get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "js/offline.js" in html
    assert f'<meta name="offline-owner" content="{ana.pk}">' in html


def test_only_new_reflections_and_sessions_are_kept_as_drafts(client, ana, ana_session):
    as_ana = sign_in(client, ana)
    assert 'data-offline="reflection"' in as_ana.get("/reflections/new/").content.decode()
    assert 'data-offline="session"' in as_ana.get("/sessions/new/").content.decode()
    assert "data-offline" not in as_ana.get(f"/sessions/{ana_session.pk}/edit/").content.decode()


def test_signing_out_asks_the_browser_to_delete_what_the_site_kept(client, ana):
    response = sign_in(client, ana).post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
