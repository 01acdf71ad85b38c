"""The flywheel's computed words in Spanish and German: stage names, values, bands and trends, the weekly
insight, the links between the stages, alert titles, explanations and rules, on the flywheel and on Today.

The English messages are read from the insights code itself (every literal given to gettext and its kin),
so a sentence added there later is held to the same: none of its English may reach a Spanish or German page.
"""

import ast
import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from reciprocity.insights import figures
from reciprocity.insights.models import WeekFigures
from reciprocity.insights.tests.test_expected_practice import phq9_answers
from reciprocity.insights.tests.test_flywheel_pages import record_high_burnout
from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from tests.builders import make_session, sign_in

INSIGHTS = Path(__file__).resolve().parent.parent
MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def insights_messages() -> list[tuple[str | None, tuple[str, ...]]]:
    """(context, (singular[, plural])) of every message marked in the insights code outside its tests."""
    found = []
    for path in sorted(INSIGHTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id.startswith("pgettext"):
                found.append((texts[0], (texts[1],)))
            elif node.func.id.startswith("ngettext"):
                found.append((None, tuple(texts[:2])))
            else:
                found.append((None, tuple(texts[:1])))
    return found


def translated(context: str | None, texts: tuple[str, ...]) -> list[str]:
    if context is not None:
        return [translation.pgettext(context, texts[0])]
    if len(texts) == 2:
        return [translation.ngettext(*texts, n) for n in (1, 2, 5)]
    return [translation.gettext(texts[0])]


def english_left_over(language: str) -> list[str]:
    """The English words of the insights messages that their translation into `language` does not use itself
    ("Burnout" and "WHO-5" stay), each a run of text between two placeholders."""
    words = set()
    with translation.override(language):
        for context, texts in insights_messages():
            own = " ".join(translated(context, texts))
            for text in texts:
                for piece in re.split(r"%\(\w+\)s|%%", text):
                    piece = piece.strip(" .,;:()")
                    if re.search(r"[A-Za-z]{2}", piece) and piece not in own:
                        words.add(piece)
    return sorted(words)


LABELS = {"aria-label", "title", "placeholder", "alt"}


class _Visible(HTMLParser):
    """Text a person reads: between tags (not scripts or styles), and the labels of charts and controls."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in {"script", "style"}
        self.found += [value for name, value in attrs if name in LABELS and value]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in {"script", "style"}

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.found.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.found).split())


def english_on(text: str, language: str) -> list[str]:
    return [w for w in english_left_over(language) if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
    translation.activate("en-gb")


@pytest.fixture
def ana_with_a_year(ana, ana_client):
    """Forty-four complete weeks of figures (better and harder weeks that differ in sessions, well-being and
    burnout check-ins, client improvement), above her own hours limit; eight sessions three weeks old without
    a reflection; a client reliably worse on the PHQ-9 since fourteen weeks ago; and a high burnout check-in."""
    ana.weekly_hours_limit = 10
    ana.save()
    now = timezone.now()
    for hours in range(8):
        make_session(ana_client, starts_at=now - datetime.timedelta(days=20, hours=hours))
    phq9 = registry.get("phq9")
    for weeks, total in ((14, 8), (1, 20)):
        record_administration(therapist=ana, instrument=phq9, answers=phq9_answers(total), client=ana_client,
                              completed_at=now - datetime.timedelta(weeks=weeks))  # fmt: skip
    this_monday = figures.monday(now, ana.zone)
    for i in range(1, 45):
        better = i % 2 == 0
        sessions = 15 if better else 25
        WeekFigures.objects.update_or_create(
            therapist=ana, week=this_monday - datetime.timedelta(weeks=i),
            defaults={"sessions": sessions, "hours": sessions * 0.8, "trauma_share": 0.2, "load": 5.0,
                      "back_to_back": 0, "session_days": 0b11111, "reflected_share": 1.0, "reflections": 3,
                      "reciprocity": (3.0 if better else 1.0) + (i % 7) * 0.05,
                      "checkins": {"who5.percent": 48.0 + (i % 5) * 6, "proqol5.burnout": 20.0 + (i % 3) * 2},
                      "client_improvement": 0.2 + (i % 4) * 0.3},
        )  # fmt: skip
    record_high_burnout(ana)
    return ana


SPANISH = [
    "Burnout: nivel alto", "Tu última puntuación de burnout es 50 (punto de corte 42).", "Lo que te da el trabajo",
    "horas de sesión por semana", "En tus semanas mejores", "10,0 sesiones menos", "Regla fija",
    "N-0007: empeoramiento fiable en PHQ-9", "Más horas que tu propio límite", "8 sesiones que siguen sin reflexión",
    "Reciprocidad → burnout", "Media de las últimas 4 semanas", "El ciclo virtuoso:", "semana a semana",
]  # fmt: skip
GERMAN = [
    "Burnout ist hoch", "Dein letzter Wert für Burnout ist 50 (Grenzwert 42).", "Was dir die Arbeit gibt",
    "Sitzungsstunden pro Woche", "In deinen besseren Wochen", "um 10,0 Sitzungen niedriger", "Feste Regel",
    "N-0007 hat sich bei PHQ-9 reliabel verschlechtert", "Mehr Stunden als dein eigenes Limit",
    "8 Sitzungen noch ohne Reflexion", "Reziprozität → Burnout", "Mittelwert der letzten 4 Wochen",
    "Das Schwungrad:", "Woche für Woche",
]  # fmt: skip
ON_TODAY = {
    "es": ["Burnout: nivel alto", "Más horas que tu propio límite", "8 sesiones que siguen sin reflexión"],
    "de": ["Burnout ist hoch", "Mehr Stunden als dein eigenes Limit", "8 Sitzungen noch ohne Reflexion"],
}


def test_every_message_of_the_insights_is_translated():
    same = {"Burnout", "burnout (ProQOL)", "%(stage)s: %(value)s (%(band)s)"}  # the same words in every language
    for language in ("es", "de"):
        with translation.override(language):
            untranslated = [
                texts[0] for context, texts in insights_messages()
                if texts[0] not in same and (context, texts[0]) != ("within a sentence", "burnout")
                and any(t in texts for t in translated(context, texts))
            ]  # fmt: skip
        assert untranslated == [], language


def test_the_english_page_says_what_the_translations_must_replace(client, ana_with_a_year):
    sign_in(client, ana_with_a_year)
    text = visible(client.get("/dashboard/flywheel/", headers={"accept-language": "en"}).content.decode())
    for words in ["Burnout is high", "What the work gives you", "session hours a week", "In your better weeks",
                  "10.0 sessions fewer", "Fixed rule", "N-0007 is reliably worse on PHQ-9",
                  "More hours than your own limit", "8 sessions left without a reflection", "Reciprocity → burnout",
                  "The flywheel:", "week by week"]:  # fmt: skip
        assert words in text
    assert re.search(r"(rising|falling) \([+-]\d\.\d\d points a week\)|steady", text)
    assert re.search(r"Months with higher|No clear link yet", text)


def test_the_flywheel_and_today_in_spanish_by_the_browser(client, ana_with_a_year):
    sign_in(client, ana_with_a_year)
    client.get("/dashboard/flywheel/", headers={"accept-language": "en"})  # the analysis is remembered in English
    flywheel = visible(client.get("/dashboard/flywheel/", headers={"accept-language": "es"}).content.decode())
    today = visible(client.get("/", headers={"accept-language": "es"}).content.decode())
    assert english_on(flywheel, "es") == [] and english_on(today, "es") == []
    assert [w for w in SPANISH if w not in flywheel] == []
    assert [w for w in ON_TODAY["es"] if w not in today] == []
    assert re.search(r"\d,\d de 4", flywheel) and re.search(r"(en aumento|en descenso) \([+-]\d,\d\d puntos", flywheel)
    assert re.search(r"Los meses con más|Aún no hay un vínculo claro", flywheel)


def test_the_flywheel_and_today_in_german_by_the_users_choice(client, ana_with_a_year):
    ana_with_a_year.language = "de"
    ana_with_a_year.save(update_fields=["language"])
    sign_in(client, ana_with_a_year)
    flywheel = visible(client.get("/dashboard/flywheel/").content.decode())
    today = visible(client.get("/").content.decode())
    assert english_on(flywheel, "de") == [] and english_on(today, "de") == []
    assert [w for w in GERMAN if w not in flywheel] == []
    assert [w for w in ON_TODAY["de"] if w not in today] == []
    assert re.search(r"\d,\d von 4", flywheel) and re.search(r"(steigend|fallend) \([+-]\d,\d\d Punkte", flywheel)
    assert re.search(r"Auf Monate mit mehr|Noch kein deutlicher Zusammenhang", flywheel)


def test_answering_an_alert_is_confirmed_in_the_readers_language(client, ana_with_a_year):
    ana_with_a_year.language = "de"
    ana_with_a_year.save(update_fields=["language"])
    sign_in(client, ana_with_a_year)
    html = client.get("/dashboard/flywheel/").content.decode()
    key = html.split('name="key" value="')[1].split('"')[0]
    response = client.post("/dashboard/flywheel/alerts/", {"key": key, "action": "dismiss"}, follow=True)
    assert "Hinweis verworfen." in response.content.decode()
