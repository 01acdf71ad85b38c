"""'Access to my data' in the reader's language: the stored descriptions stay as written, the page translates
the ones it knows when it shows them."""

from django.urls import reverse
from django.utils import translation

from reciprocity.audit.descriptions import describe
from reciprocity.audit.models import Action, Event
from reciprocity.audit.services import record


def test_known_descriptions_are_translated_and_the_rest_shown_as_stored():
    with translation.override("de"):
        assert describe("signed in") == "angemeldet"
        assert describe("downloaded the sessions table as CSV") == "die Tabelle sessions als CSV heruntergeladen"
        assert describe("wrote the notes of the meeting of 03 Mar 2026") == (
            "das Protokoll des Treffens vom 03 Mär 2026 geschrieben"
        )
        assert describe("made the monthly report of March 2026 (PDF)") == (
            "den Monatsbericht für März 2026 erstellt (PDF)"
        )
        assert describe("administration: opened user #7") == "administration: opened user #7"
    assert describe("wrote the notes of the meeting of 03 Mar 2026") == "wrote the notes of the meeting of 03 Mar 2026"
    assert describe("made the monthly report of March 2026 (PDF)") == "made the monthly report of March 2026 (PDF)"


def test_the_page_speaks_spanish_and_the_stored_description_stays_english(as_ana, ana, ben):
    record(Action.READ, "read the list of shared items", subject=ana, actor=ben)
    page = as_ana.get(reverse("audit:activity"), headers={"accept-language": "es"}).content.decode()
    assert "Acceso a mis datos" in page and "leyó la lista de elementos compartidos" in page
    assert "<td>Lectura</td>" in page and "<td>Inicio de sesión</td>" in page and "<td>inició sesión</td>" in page
    assert "read the list of shared items" not in page and "Access to my data" not in page
    assert Event.objects.filter(what="read the list of shared items", subject=ana).exists()
