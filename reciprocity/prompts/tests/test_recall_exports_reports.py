"""Answers are found by search like the reflection's own words, exported, erased, reported and encrypted at rest."""

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.urls import reverse

from reciprocity.exports.tables import account_archive
from reciprocity.practice.erasure import erase_account
from reciprocity.prompts import services
from reciprocity.prompts.models import Prompt, PromptAnswer
from reciprocity.prompts.selectors import asked_on
from reciprocity.recall.models import Document, Kind
from reciprocity.recall.search import search
from reciprocity.reports.tests.test_reports import text_of
from tests.builders import make_client, make_reflection, make_session, sign_in

BODY = "What did my body tell me?"
ANSWER = "Quokkazanzibar tension settled in my jaw."


def answer(reflection, text=ANSWER):
    services.save_answers(reflection, [(a, text) for a in asked_on(reflection.author, reflection)])


@pytest.fixture
def answered(ana, ana_session):
    services.add_prompt(ana, BODY)
    reflection = make_reflection(ana_session, gave_me="A quiet hour.", carry_home="")
    answer(reflection)
    return reflection


def test_a_word_only_in_an_answer_finds_the_reflection(ana, answered):
    hits = search(ana, "Quokkazanzibar", mode="lexical")
    assert [hit.obj for hit in hits] == [answered]
    assert "Quokkazanzibar" in "".join(p.text for p in hits[0].pieces)


def test_search_through_the_page_finds_it_for_the_owner_only(client, ana, ben, cara, answered):
    assert "tension settled" in sign_in(client, ana).get("/search/", {"q": "Quokkazanzibar jaw"}).content.decode()
    for person in (ben, cara):
        make_reflection(make_session(make_client(person)), gave_me="My own jaw was fine.")
        page = sign_in(client, person).get("/search/", {"q": "Quokkazanzibar jaw"}).content.decode()
        assert "tension settled" not in page and answered.get_absolute_url() not in page


def test_changing_only_an_answer_reindexes_and_deleting_the_reflection_forgets_it(ana, answered):
    answer(answered, "Warm hands today.")
    assert search(ana, "Quokkazanzibar", mode="lexical") == []
    assert [hit.obj for hit in search(ana, "warm hands", mode="lexical")] == [answered]
    answered.delete()
    assert not Document.objects.filter(kind=Kind.REFLECTION, object_id=answered.pk).exists()
    assert search(ana, "warm hands", mode="lexical") == []


def test_the_export_holds_the_prompts_and_answers_and_nothing_of_a_colleague(ana, ben, answered):
    ben_reflection = make_reflection(make_session(make_client(ben)))
    services.add_prompt(ben, "Where did I hold back?")
    answer(ben_reflection, "Ben's private answer.")
    with zipfile.ZipFile(io.BytesIO(account_archive(ana))) as archive:
        prompts = json.loads(archive.read("prompts.json"))
        answers = json.loads(archive.read("prompt_answers.json"))
        everything = "".join(archive.read(n).decode() for n in archive.namelist())
    assert [p["text"] for p in prompts] == [BODY]
    assert [(a["reflection"], a["asked"], a["answer"]) for a in answers] == [(answered.pk, BODY, ANSWER)]
    assert "Ben's private answer." not in everything and "Where did I hold back?" not in everything


def test_erasing_the_account_removes_prompts_and_answers_but_not_the_practice_defaults(ana, ben, north, answered):
    services.add_prompt(north, "What stayed with me?")
    erase_account(ana)
    assert not PromptAnswer.objects.exists()
    assert list(Prompt.objects.values_list("text", flat=True)) == ["What stayed with me?"]


def test_answers_and_prompts_are_ciphertext_in_the_database(answered):
    with connection.cursor() as cursor:
        cursor.execute("SELECT asked, answer FROM prompts_promptanswer")
        rows = cursor.fetchall()
        cursor.execute("SELECT text FROM prompts_prompt")
        rows += cursor.fetchall()
    stored = [value for row in rows for value in row]
    assert len(stored) == 3 and all(value.startswith("enc1:") for value in stored)
    assert not any("Quokkazanzibar" in value or "body" in value for value in stored)
    assert PromptAnswer.objects.get().answer == ANSWER


def _at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 10, day, 10, tzinfo=datetime.UTC)


def test_the_monthly_report_shows_the_months_answers_under_their_prompts(as_ana, ana, ana_client):
    services.add_prompt(ana, BODY)
    for day in (3, 9, 15, 21):
        answer(make_reflection(make_session(ana_client, starts_at=_at(day))), f"Day {day}: shoulders.")
    response = as_ana.get(reverse("reports:monthly", args=["pdf"]), {"start": "2026-10-01", "end": "2026-10-31"})
    text = text_of(response.content)
    assert "Your own prompts" in text and BODY in text and "4 answers in October 2026; the latest 3" in text
    assert "Day 21: shoulders." in text and "Day 9: shoulders." in text and "Day 3: shoulders." not in text


def test_the_monthly_report_leaves_the_section_out_without_answers(as_ana, ana, ana_client):
    services.add_prompt(ana, BODY)
    make_reflection(make_session(ana_client, starts_at=_at(5)), gave_me="Words.")
    response = as_ana.get(reverse("reports:monthly", args=["pdf"]), {"start": "2026-10-01", "end": "2026-10-31"})
    assert "Your own prompts" not in text_of(response.content)
