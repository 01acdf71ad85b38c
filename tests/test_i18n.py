"""Languages (docs/languages.md): no visible English left unmarked in any template, complete Spanish and German
catalogues whose compiled files match them, and the main pages in Spanish and German with nothing of their
English left.
"""

import datetime
import functools
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import timezone, translation

from reciprocity.therapy.models import Occasion, Reflection
from tests.builders import make_client, make_reflection, make_session, sign_in

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reciprocity"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("es", "de")

# Words that are the same in every language: the product's name.
NAMES = {"Reciprocity"}
CHECKED_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_HOLE = " \x00 "  # where a template tag or variable stood (spaced, so that a tag inside <...> stays a tag)


def _all_templates() -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for path in PACKAGE.glob("**/templates/**/*")
        if path.is_file() and path.suffix in {".html", ".txt"} and "__pycache__" not in path.parts
    }


def _outside_translation(source: str) -> str:
    """The template's own text, with every tag, variable, comment and translated block replaced by a hole."""
    pieces, inside = [], None  # inside: the end tag of the block whose text is not checked
    for token in Lexer(source).tokenize():
        if inside:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == inside:
                inside = None
            pieces.append(_HOLE)
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans"}:
                inside = "end" + name
            elif name == "comment":
                inside = "endcomment"
        pieces.append(_HOLE)
    return "".join(pieces)


class _Visible(HTMLParser):
    """The text a person sees or hears: text nodes and the read-out attributes, never script or style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if value and (name in CHECKED_ATTRIBUTES or (name == "value" and _is_button(tag, attributes))):
                self.found.append(value)
        if tag in {"script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.found.append(data)


def _is_button(tag: str, attributes: dict[str, str | None]) -> bool:
    return tag == "button" or (tag == "input" and attributes.get("type") in {"submit", "button", "reset"})


def untranslated(source: str) -> list[str]:
    """Visible words in a template that are not inside a translation tag."""
    parser = _Visible()
    parser.feed(_outside_translation(source))
    parser.close()
    words = []
    for text in parser.found:
        for piece in text.split(_HOLE.strip()):
            words += [w for w in re.findall(r"\S+", piece) if _LETTERS.search(w) and w.strip(".,:;!?()") not in NAMES]
    return words


# --- the unmarked-string check ---


def test_the_check_finds_unmarked_text_and_passes_marked_text():
    assert untranslated("<p>Hello <b>{{ name }}</b></p>") == ["Hello"]
    assert untranslated('<input placeholder="Your name" value="x">') == ["Your", "name"]
    assert untranslated('<button value="go">{% translate "Go" %}</button>') == ["go"]
    assert (
        untranslated('<p title="{% translate "Hi" %}">{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}</p>') == []
    )
    assert untranslated("{# a note #}{% comment %}Words{% endcomment %}<script>let a = 1;</script>&nbsp;· 42 →") == []
    assert untranslated("<title>{% block title %}Reciprocity{% endblock %}</title>") == []


@pytest.mark.parametrize("name", sorted(_all_templates()))
def test_every_template_marks_every_visible_string(name):
    assert untranslated((ROOT / name).read_text(encoding="utf-8")) == []


# --- the catalogues ---


def _po_entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list) and whether it is fuzzy."""
    entries: list[dict[str, object]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, object] = {"fuzzy": False, "msgstr": []}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
                field, text = match.group(1), _unquote(match.group(2))
                if field.startswith("msgstr"):
                    entry["msgstr"].append(text)  # type: ignore[union-attr]
                else:
                    entry[field] = text
            elif line.startswith('"') and field:
                if field.startswith("msgstr"):
                    entry["msgstr"][-1] += _unquote(line[1:-1])  # type: ignore[index]
                else:
                    entry[field] += _unquote(line[1:-1])  # type: ignore[operator]
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = [e for e in _po_entries(LOCALE / language / "LC_MESSAGES" / "django.po") if e["msgid"]]
    assert len(entries) > 150
    assert not [e["msgid"] for e in entries if e["fuzzy"]]
    assert not [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"])]  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    """The committed .mo is compiled from the committed .po: run compilemessages after editing a translation."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    expected = {}
    for e in _po_entries(folder / "django.po"):
        if not e["msgid"]:
            continue
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            expected |= {(key, n): text for n, text in enumerate(e["msgstr"])}  # type: ignore[arg-type]
        else:
            expected[key] = e["msgstr"][0]  # type: ignore[index]
    assert {k: v for k, v in catalogue.items() if k != ""} == expected


# --- the pages ---


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request leaves its language active in this thread; the next test starts in English again."""
    yield
    translation.activate("en-gb")


@functools.cache  # read once per run: the catalogue does not change while the tests run
def _english_msgids(language: str) -> frozenset[str]:
    """Whole English messages without placeholders that the translation does not use as words of its own
    (German says "Filter" too)."""
    entries = [e for e in _po_entries(LOCALE / language / "LC_MESSAGES" / "django.po") if e["msgid"]]
    translated = "\n".join(text for e in entries for text in e["msgstr"])  # type: ignore[attr-defined]
    return frozenset(
        e["msgid"]  # type: ignore[misc]
        for e in entries
        if "msgid_plural" not in e
        and not re.search(r"[%{]", e["msgid"])  # type: ignore[arg-type]
        and not _has_word(e["msgid"], translated)  # type: ignore[arg-type]
    )


def _has_word(phrase: str, text: str) -> bool:
    """The phrase stands in the text as words of their own (not inside a longer word)."""
    return phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _page_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.found)


def _english_left(response, language: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The page's English messages still on it in English."""
    text = _page_text(response.content.decode())
    messages = _english_msgids(language)
    return sorted(m for m in messages if _has_word(m, text))


@pytest.fixture
def ana_at_work(ana):
    code = make_client(ana, "N-0007")
    make_session(code)  # waiting for its reflection on Today
    reflected = make_session(code, starts_at=timezone.now() - datetime.timedelta(days=1))
    make_reflection(reflected, gave_me="Patience with my sister.")
    when = datetime.datetime(2026, 10, 14, 12, 0, tzinfo=datetime.UTC)
    make_reflection(author=ana, occasion=Occasion.HARD_DAY, occurred_at=when, gave_me="A long day.")
    return ana


def reflection_of_october(author):  # type: ignore[no-untyped-def]
    return Reflection.objects.get(author=author, occasion=Occasion.HARD_DAY)


MAIN_PAGES = ["today:today", "therapy:reflection-create", "therapy:reflection-list", "therapy:session-list",
              "therapy:session-create", "recall:index", "insights:flywheel", "today:more"]  # fmt: skip
KNOWN = {
    "es": {"today:today": "Registrar una sesión", "therapy:reflection-create": "Guardar reflexión",
           "therapy:reflection-list": "Reflexionar sobre algo", "therapy:session-list": "Registro de sesiones",
           "therapy:session-create": "Guardar sesión", "recall:index": "Buscar en mis propias palabras",
           "insights:flywheel": "Tu ciclo virtuoso", "today:more": "Cerrar sesión"},
    "de": {"today:today": "Sitzung eintragen", "therapy:reflection-create": "Reflexion speichern",
           "therapy:reflection-list": "Über etwas reflektieren", "therapy:session-list": "Sitzungsprotokoll",
           "therapy:session-create": "Sitzung speichern", "recall:index": "In meinen eigenen Worten suchen",
           "insights:flywheel": "Dein Schwungrad", "today:more": "Abmelden"},
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("page", MAIN_PAGES)
def test_a_main_page_in_spanish_by_the_browser_has_no_english_left(client, ana_at_work, page):
    sign_in(client, ana_at_work)
    response = client.get(reverse(page), headers={"accept-language": "es-ES,es;q=0.9,en;q=0.5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html and response["Content-Language"] == "es"
    assert KNOWN["es"][page] in html
    assert _english_left(response, "es") == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", MAIN_PAGES)
def test_a_main_page_in_german_by_the_users_choice_has_no_english_left(client, ana_at_work, page):
    ana_at_work.language = "de"
    ana_at_work.save(update_fields=["language"])
    sign_in(client, ana_at_work)
    response = client.get(reverse(page))  # no Accept-Language: the person's own choice alone
    html = response.content.decode()
    assert '<html lang="de">' in html and response["Content-Language"] == "de"
    assert KNOWN["de"][page] in html
    assert _english_left(response, "de") == []


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("es", "Iniciar sesión"), ("de", "Anmelden")])
def test_the_sign_in_page_speaks_the_browsers_language(client, language, expected):
    response = client.get(reverse("practice:login"), headers={"accept-language": language})
    assert f'<html lang="{language}">' in response.content.decode() and expected in response.content.decode()
    assert _english_left(response, language) == []


@pytest.mark.django_db
def test_dates_are_written_in_the_pages_language(client, ana_at_work):
    sign_in(client, ana_at_work)
    url = reverse("therapy:reflection-list")
    assert "mié 14 Oct 2026" in client.get(url, headers={"accept-language": "es"}).content.decode()
    assert "Mi 14 Okt 2026" in client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "Wed 14 Oct 2026" in client.get(url).content.decode()
    detail = reflection_of_october(ana_at_work).get_absolute_url()
    assert "miércoles 14 octubre 2026" in client.get(detail, headers={"accept-language": "es"}).content.decode()
    assert "Mittwoch 14 Oktober 2026" in client.get(detail, headers={"accept-language": "de"}).content.decode()


@pytest.mark.django_db
def test_numbers_are_written_in_the_pages_language(client, ana_at_work):
    sign_in(client, ana_at_work)
    url = reverse("therapy:reflection-list")
    assert "índice 2,0 / 4" in client.get(url, headers={"accept-language": "es"}).content.decode()
    assert "index 2.0 / 4" in client.get(url).content.decode()


@pytest.mark.django_db
def test_english_is_the_default_and_an_english_browser_gets_it(client, ana):
    sign_in(client, ana)
    for headers in ({}, {"accept-language": "en-US,en;q=0.9"}, {"accept-language": "fr, it"}):
        response = client.get(reverse("today:today"), headers=headers)
        assert '<html lang="en-gb">' in response.content.decode() and "Log a session" in response.content.decode()


@pytest.mark.django_db
def test_the_persons_own_language_outranks_the_browsers(client, ana):
    ana.language = "de"
    ana.save(update_fields=["language"])
    sign_in(client, ana)
    response = client.get(reverse("today:today"), headers={"accept-language": "es"})
    assert "Sitzung eintragen" in response.content.decode() and response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_language_is_chosen_on_the_settings_page(client, ana):
    sign_in(client, ana)
    page = client.get(reverse("practice:settings")).content.decode()
    assert 'name="language"' in page and "As my browser asks" in page and "Español" in page
    form = {"first_name": "Ana", "last_name": "A", "time_zone": "Europe/Lisbon", "language": "es"}
    assert client.post(reverse("practice:settings"), form).status_code == 302
    ana.refresh_from_db()
    assert ana.language == "es"
    assert "Ajustes" in client.get(reverse("practice:settings")).content.decode()
    client.post(reverse("practice:settings"), form | {"language": "fr"})  # not offered: refused
    ana.refresh_from_db()
    assert ana.language == "es"
    client.post(reverse("practice:settings"), form | {"language": ""})
    ana.refresh_from_db()
    assert ana.language == ""


@pytest.mark.django_db
def test_a_form_error_is_in_the_pages_language(client, ana):
    make_client(ana, "N-0001")
    sign_in(client, ana)
    response = client.post(
        reverse("therapy:session-create"), {"duration_minutes": "2"}, headers={"accept-language": "es"}
    )
    html = response.content.decode()
    assert "No se guardó nada." in html and "Una sesión dura al menos 5 minutos." in html
