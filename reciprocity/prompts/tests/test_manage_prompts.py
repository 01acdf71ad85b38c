"""The settings pages: a therapist keeps up to three prompts of their own; a director sets the practice's defaults."""

import pytest
from django.db import IntegrityError

from reciprocity.practice.models import Role
from reciprocity.prompts import services
from reciprocity.prompts.models import Prompt
from tests.builders import make_user, sign_in

MINE = "/prompts/"
PRACTICE = "/prompts/practice/"


def test_a_therapist_adds_a_prompt_and_sees_it_on_the_settings_page(as_ana, ana):
    response = as_ana.post(MINE, {"action": "add", "text": "  What did my body   tell me? "})
    assert response.status_code == 302 and response["Location"] == MINE
    prompt = Prompt.objects.get(therapist=ana)
    assert (prompt.text, prompt.position, prompt.is_active, prompt.practice_id) == ("What did my body tell me?", 1,
                                                                                    True, None)  # fmt: skip
    settings_page = as_ana.get("/accounts/settings/").content.decode()
    assert "What did my body tell me?" in settings_page and 'href="/prompts/"' in settings_page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the prompt: a question of your own, up to 200 characters."),
        ("   ", "Write the prompt: a question of your own, up to 200 characters."),
        ("x" * 201, "A prompt has at most 200 characters; this one has 201."),
    ],
)
def test_an_empty_or_too_long_prompt_is_refused_in_plain_words(as_ana, text, message):
    response = as_ana.post(MINE, {"action": "add", "text": text})
    assert response.status_code == 422
    assert message in response.content.decode() and "Nothing was saved" in response.content.decode()
    assert not Prompt.objects.exists()


def test_a_fourth_prompt_is_refused(as_ana, ana):
    for text in ("One?", "Two?", "Three?"):
        assert as_ana.post(MINE, {"action": "add", "text": text}).status_code == 302
    page = as_ana.get(MINE).content.decode()
    assert "Add prompt" not in page and "You can keep up to three prompts" in page
    response = as_ana.post(MINE, {"action": "add", "text": "Four?"})
    assert response.status_code == 422
    assert "You can keep up to three prompts" in response.content.decode()
    assert sorted(Prompt.objects.of(ana).active().values_list("position", flat=True)) == [1, 2, 3]


def test_the_same_prompt_twice_is_refused(as_ana):
    as_ana.post(MINE, {"action": "add", "text": "What did my body tell me?"})
    response = as_ana.post(MINE, {"action": "add", "text": "what did my body tell me?"})
    assert response.status_code == 422 and "already on the list" in response.content.decode()


def test_editing_and_removing_a_prompt_frees_its_place(as_ana, ana):
    first = services.add_prompt(ana, "One?")
    services.add_prompt(ana, "Two?")
    assert as_ana.post(MINE, {"action": "edit", "prompt": first.pk, "text": "One, again?"}).status_code == 302
    first.refresh_from_db()
    assert first.text == "One, again?"
    too_long = as_ana.post(MINE, {"action": "edit", "prompt": first.pk, "text": "y" * 300})
    assert too_long.status_code == 422 and "at most 200 characters" in too_long.content.decode()
    assert as_ana.post(MINE, {"action": "remove", "prompt": first.pk}).status_code == 302
    first.refresh_from_db()
    assert not first.is_active  # kept, so its answers still name it
    assert services.add_prompt(ana, "Three?").position == 1


def test_someone_elses_prompt_cannot_be_changed_or_removed(client, ana, ben, cara):
    prompt = services.add_prompt(ana, "Whose voice did I hear today?")
    for person in (ben, cara):
        sign_in(client, person)
        assert client.post(MINE, {"action": "edit", "prompt": prompt.pk, "text": "Mine now?"}).status_code == 404
        assert client.post(MINE, {"action": "remove", "prompt": prompt.pk}).status_code == 404
        assert "Whose voice did I hear today?" not in client.get(MINE).content.decode()
        assert "Whose voice did I hear today?" not in client.get("/accounts/settings/").content.decode()
    prompt.refresh_from_db()
    assert prompt.text == "Whose voice did I hear today?" and prompt.is_active


def test_a_director_sets_the_practice_defaults(client, north, ana):
    dora = make_user("dora", practice=north, role=Role.DIRECTOR)
    sign_in(client, dora)
    assert "Default prompts of North clinic" in client.get("/accounts/settings/").content.decode()
    assert client.post(PRACTICE, {"action": "add", "text": "What stayed with me?"}).status_code == 302
    assert list(Prompt.objects.of(north).active().values_list("text", flat=True)) == ["What stayed with me?"]
    assert client.post(PRACTICE, {"action": "add", "text": ""}).status_code == 422
    # the director's own prompts are a separate list
    assert not Prompt.objects.of(dora).exists()


def test_only_a_director_sets_the_practice_defaults(client, as_ana, north):
    assert as_ana.get(PRACTICE).status_code == 403
    assert as_ana.post(PRACTICE, {"action": "add", "text": "Sneaky?"}).status_code == 403
    assert not Prompt.objects.exists()


def test_the_database_keeps_at_most_three_active_prompts_per_owner(ana, north):
    for n in (1, 2, 3):
        Prompt.objects.create(therapist=ana, text=f"{n}?", position=n)
    with pytest.raises(IntegrityError):
        Prompt.objects.create(therapist=ana, text="4?", position=3)


def test_a_prompt_has_exactly_one_owner(ana, north):
    with pytest.raises(IntegrityError):
        Prompt.objects.create(therapist=ana, practice=north, text="Both?", position=1)
