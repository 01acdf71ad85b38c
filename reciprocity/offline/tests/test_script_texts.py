"""The words the scripts show come with the page, in its language: the offline banner's in every page, the
voice controls' beside them; each script falls back to its own English, which says the same as the page's."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from reciprocity.offline.script_texts import page_texts, voice_texts
from tests.builders import sign_in

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"


def _texts(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no #{element_id} on the page"
    return json.loads(found.group(1))


@pytest.fixture(autouse=True)
def _english_after_each_test():
    yield
    translation.activate("en-gb")


@pytest.mark.django_db
def test_a_page_in_spanish_carries_the_offline_banners_spanish_words(client, ana):
    sign_in(client, ana)
    html = client.get(reverse("today:today"), headers={"accept-language": "es"}).content.decode()
    offline = _texts(html, "js-texts")["offline"]
    assert offline["offline"] == "No tienes conexión. Esta página está como cuando se cargó por última vez."
    assert offline["reflectionOne"] == "{n} reflexión" and offline["sessionMany"] == "{n} sesiones"
    assert offline["waitingOfflineMany"] == (
        "{drafts} pendientes de enviar: se enviarán cuando vuelvas a tener conexión."
    )
    assert offline["openToFix"] == "Ábrela para corregirla"
    assert _texts(html, "js-texts")["app"]["unreachable"].startswith("No se puede conectar con la aplicación.")


@pytest.mark.django_db
def test_a_page_in_english_carries_the_english_the_scripts_also_fall_back_to(client, ana):
    sign_in(client, ana)
    offline = _texts(client.get(reverse("today:today")).content.decode(), "js-texts")["offline"]
    assert offline["offline"] == "You are offline. This page is as it was when it was last loaded."
    assert offline["waitingSignedOutOne"] == "{drafts} waiting to be sent — sign in to send it."


def _fallbacks(script: str, call: str) -> dict[str, str]:
    """The English each script writes when the page gives it no words: key -> text, from `call("key", "…")`."""
    source = (SCRIPTS / script).read_text(encoding="utf-8")
    return dict(re.findall(rf'{call}\(\s*"(\w+)",\s*"([^"]*)"', source))


def test_each_scripts_own_english_is_the_english_the_page_gives():
    with translation.override("en-gb"):
        page, voice = page_texts(), voice_texts()
    for script, call, texts in (
        ("offline.js", "say", page["offline"]),
        ("reciprocity.js", "appText", page["app"]),
        ("voice.js", "say", voice),
    ):
        fallbacks = _fallbacks(script, call)
        assert fallbacks, script
        assert {key: texts[key] for key in fallbacks} == fallbacks, script


def test_the_words_kept_for_one_language_never_reach_a_page_in_another(client, ana):
    sign_in(client, ana)
    offline_of = [
        _texts(client.get(reverse("today:today"), headers={"accept-language": language}).content.decode(), "js-texts")
        for language in ("en", "es", "de", "en", "es")
    ]
    english, spanish, german = (texts["offline"]["offline"] for texts in offline_of[:3])
    assert len({english, spanish, german}) == 3
    assert offline_of[3] == offline_of[0] and offline_of[4] == offline_of[1]
