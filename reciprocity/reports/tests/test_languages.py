"""A report made through the web speaks the request's language; one made by `reciprocity report` speaks the
language its person chose in their settings. English reports are checked word for word in test_reports.py."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reciprocity.practice.models import Role
from reciprocity.reports.content import Period
from reciprocity.reports.tests.test_reports import text_of
from reciprocity.sharing import services as sharing
from reciprocity.sharing.models import Comment
from tests.builders import make_reflection, make_session, make_user

OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}
ENGLISH_HEADINGS = ["My reciprocity", "Dimension profile", "Well-being", "Alerts", "What this month gave me",
                    "Development", "Made by Reciprocity"]  # fmt: skip
GERMAN_HEADINGS = ["Meine Reziprozität · Oktober 2026", "Dimensionsprofil", "Wohlbefinden", "Hinweise",
                   "Was mir dieser Monat gegeben hat", "Weiterbildung", "Erstellt von Reciprocity am"]  # fmt: skip


@pytest.fixture
def reflected_in_october(ana, ana_client):
    when = datetime.datetime(2026, 10, 5, 10, tzinfo=datetime.UTC)
    make_reflection(make_session(ana_client, starts_at=when), ratings={"empathy": 3}, gave_me="The courage moved me.")


@pytest.fixture
def active(ana, north):
    """Ana's supervision by Kim, accepted."""
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR, full_name="Kim Adler")
    return sharing.accept(sharing.invite(ana, kim), kim)


@pytest.mark.parametrize("how", ["chosen in the settings", "asked by the browser"])
def test_the_monthly_report_speaks_german(as_ana, ana, reflected_in_october, how):
    headers = {}
    if how == "chosen in the settings":
        ana.language = "de"
        ana.save(update_fields=["language"])
    else:
        headers = {"HTTP_ACCEPT_LANGUAGE": "de-AT,de;q=0.9"}
    html = as_ana.get(reverse("reports:monthly", args=["html"]), OCTOBER, **headers).content.decode()
    assert '<html lang="de">' in html
    for german in GERMAN_HEADINGS:
        assert german in html
    for english in ENGLISH_HEADINGS:
        assert english not in html
    assert "Keine Selbstchecks in diesem Zeitraum." in html and "No check-ins in this period." not in html


def test_the_monthly_report_stays_english_without_a_choice(as_ana, reflected_in_october):
    html = as_ana.get(reverse("reports:monthly", args=["html"]), OCTOBER).content.decode()
    assert '<html lang="en-gb">' in html and "My reciprocity · October 2026" in html
    for german in GERMAN_HEADINGS:
        assert german not in html


def test_the_packet_made_by_the_command_speaks_the_therapists_spanish(tmp_path, ana, active):
    ana.language = "es"
    ana.save(update_fields=["language"])
    reflection = make_reflection(author=ana, gave_me="The ferry came back to me.")
    share = sharing.share_reflection(active, reflection, by=ana, text="The ferry came back to me.")
    Comment.objects.create(share=share, author=ana, text="Did Tomasz Nowak call again?")  # never confirmed
    day = datetime.date.today()
    target = tmp_path / "packet.pdf"
    with translation.override("de"):  # the language of wherever the command runs from does not count
        call_command("report", "packet", "--user", "ana", "--from", day.isoformat(), "--to", day.isoformat(),
                     "-o", str(target), stdout=StringIO())  # fmt: skip
    text = text_of(target.read_bytes())
    with translation.override("es"):
        label = Period(day, day).label
    assert f"Dossier de supervisión · {label}" in text and " de 20" in label
    assert "Reflexiones compartidas (1)" in text and "The ferry came back to me." in text
    assert "[omitido: un nombre de persona]" in text and "Tomasz" not in text
    assert "Se omitió 1 dato que podría identificar a alguien" in text
    assert "Creado por Reciprocity el" in text and "página 1 de 1" in text
    for english in ("Supervision packet", "Shared reflections", "withheld", "Made by", "Meetings", "page 1"):
        assert english not in text
