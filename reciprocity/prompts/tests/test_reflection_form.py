"""The reflection form asks the therapist's prompts after its two texts; answers are saved with the reflection."""

import datetime

import pytest

from reciprocity.practice.models import Membership, Practice, Role
from reciprocity.prompts import services
from reciprocity.prompts.models import PromptAnswer
from reciprocity.prompts.selectors import asked_on, prompts_for
from reciprocity.therapy.models import Reflection
from tests.builders import make_client, make_reflection, make_session, make_user, ratings_post, sign_in

BODY = "What did my body tell me?"


def reflect(client, session, **answers):
    return client.post(f"/reflections/new/?session={session.pk}", ratings_post(3) | {"session": session.pk} | answers)


def field(prompt):
    return f"prompts-p{prompt.pk}"


@pytest.fixture
def body(ana):
    return services.add_prompt(ana, BODY)


def test_the_form_asks_the_own_prompts_after_the_two_texts(as_ana, ana, ana_session, body):
    services.add_prompt(ana, "Where did I hold back?")
    html = as_ana.get(f"/reflections/new/?session={ana_session.pk}").content.decode()
    assert html.index('name="carry_home"') < html.index(f'name="{field(body)}"') < html.index("Where did I hold back?")


def test_answers_are_saved_with_the_reflection_and_empty_ones_are_not(as_ana, ana, ana_session, body):
    other = services.add_prompt(ana, "Where did I hold back?")
    response = reflect(as_ana, ana_session, **{field(body): "  Tight shoulders, then ease. ", field(other): "  "})
    assert response.status_code == 302
    reflection = Reflection.objects.get(session=ana_session)
    answers = list(PromptAnswer.objects.filter(reflection=reflection).values_list("prompt", "asked", "answer"))
    assert answers == [(body.pk, BODY, "Tight shoulders, then ease.")]
    page = as_ana.get(reflection.get_absolute_url()).content.decode()
    assert BODY in page and "Tight shoulders, then ease." in page


def test_an_answer_too_long_saves_nothing_and_answers_422(as_ana, ana_session, body):
    response = reflect(as_ana, ana_session, **{field(body): "x" * 5001})
    assert response.status_code == 422
    assert "An answer has at most 5000 characters." in response.content.decode()
    assert not Reflection.objects.exists() and not PromptAnswer.objects.exists()


def test_a_refused_reflection_stores_no_answer(as_ana, ana_session, body):
    response = reflect(as_ana, ana_session, **{field(body): "Warm hands.", "empathy": 9})
    assert response.status_code == 422
    assert not PromptAnswer.objects.exists()
    assert "Warm hands." in response.content.decode()  # the answer is kept on the form to correct


def test_the_answers_roll_back_with_the_reflection(as_ana, ana_session, body, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services.PromptAnswer.objects, "update_or_create", broken)
    with pytest.raises(RuntimeError):
        reflect(as_ana, ana_session, **{field(body): "Warm hands."})
    assert not Reflection.objects.exists()


def test_editing_shows_updates_and_removes_answers(as_ana, ana, ana_session, body):
    other = services.add_prompt(ana, "Where did I hold back?")
    reflect(as_ana, ana_session, **{field(body): "Warm hands.", field(other): "With the silence."})
    reflection = Reflection.objects.get()
    body_answer, other_answer = PromptAnswer.objects.filter(reflection=reflection).order_by("position")
    edit = f"/reflections/{reflection.pk}/edit/"
    html = as_ana.get(edit).content.decode()
    assert "Warm hands." in html and "With the silence." in html
    data = ratings_post(2) | {f"prompts-a{body_answer.pk}": "Cold hands.", f"prompts-a{other_answer.pk}": ""}
    assert as_ana.post(edit, data).status_code == 302
    assert list(PromptAnswer.objects.filter(reflection=reflection).values_list("answer", flat=True)) == ["Cold hands."]
    # the emptied prompt is asked again, and can be answered again
    again = ratings_post(2) | {f"prompts-a{body_answer.pk}": "Cold hands.", field(other): "Less, today."}
    assert as_ana.post(edit, again).status_code == 302
    assert PromptAnswer.objects.filter(reflection=reflection).count() == 2


def test_a_later_edit_of_the_prompt_does_not_change_what_was_asked(as_ana, ana_session, body):
    reflect(as_ana, ana_session, **{field(body): "Warm hands."})
    services.edit_prompt(body, "What did my breath tell me?")
    reflection = Reflection.objects.get()
    page = as_ana.get(reflection.get_absolute_url()).content.decode()
    assert BODY in page and "What did my breath tell me?" not in page
    assert BODY in as_ana.get(f"/reflections/{reflection.pk}/edit/").content.decode()
    services.remove_prompt(body)
    assert "Warm hands." in as_ana.get(reflection.get_absolute_url()).content.decode()


def test_without_own_prompts_the_practice_defaults_are_asked_and_own_ones_replace_them(as_ana, ana, north):
    services.add_prompt(north, "What stayed with me?")
    session = make_session(make_client(ana))
    assert "What stayed with me?" in as_ana.get(f"/reflections/new/?session={session.pk}").content.decode()
    services.add_prompt(ana, BODY)
    html = as_ana.get(f"/reflections/new/?session={session.pk}").content.decode()
    assert BODY in html and "What stayed with me?" not in html


def test_the_prompts_asked_are_read_in_one_query_from_the_first_practice_joined(ana, north, django_assert_num_queries):
    south = Practice.objects.create(name="South clinic")
    Membership.objects.create(user=ana, practice=south, role=Role.THERAPIST)
    services.add_prompt(south, "Asked in the south")
    services.add_prompt(north, "Asked in the north")
    with django_assert_num_queries(1):
        assert [p.text for p in prompts_for(ana)] == ["Asked in the north"]
    # Joined first is what counts, not which practice or membership was made first.
    north_joined = Membership.objects.get(user=ana, practice=north).joined_at
    Membership.objects.filter(user=ana, practice=south).update(joined_at=north_joined - datetime.timedelta(days=1))
    assert [p.text for p in prompts_for(ana)] == ["Asked in the south"]
    own = services.add_prompt(ana, BODY)
    with django_assert_num_queries(1):
        assert prompts_for(ana) == [own]
    assert prompts_for(make_user("alone")) == []


def test_an_answer_to_a_practice_default_never_reaches_the_director(client, ana, north, ana_session):
    default = services.add_prompt(north, "What stayed with me?")
    reflect(sign_in(client, ana), ana_session, **{field(default): "The client's laugh."})
    assert PromptAnswer.objects.get().answer == "The client's laugh."
    dora = make_user("dora", practice=north, role=Role.DIRECTOR)
    sign_in(client, dora)
    for url in ("/prompts/practice/", "/accounts/settings/", "/dashboard/practice/"):
        assert "The client's laugh." not in client.get(url).content.decode()


def test_another_therapist_never_sees_the_prompts_or_answers(client, ana, ben, cara, ana_session, body):
    reflect(sign_in(client, ana), ana_session, **{field(body): "Warm hands."})
    reflection = Reflection.objects.get()
    for person in (ben, cara):
        sign_in(client, person)
        assert client.get(reflection.get_absolute_url()).status_code == 404
        assert client.get(f"/reflections/{reflection.pk}/edit/").status_code == 404
        own_session = make_session(make_client(person))
        form = client.get(f"/reflections/new/?session={own_session.pk}").content.decode()
        assert BODY not in form
        # naming her prompt in a form of one's own stores nothing
        reflect(client, own_session, **{field(body): "Mine?"})
        assert PromptAnswer.objects.filter(reflection__author=person).count() == 0


def test_a_reflection_without_a_session_asks_the_prompts_too(as_ana, ana, body):
    data = ratings_post(2) | {"occasion": "training", field(body): "Restless legs."}
    assert as_ana.post("/reflections/new/", data).status_code == 302
    assert PromptAnswer.objects.get().reflection.occasion == "training"


def test_deleting_the_reflection_deletes_its_answers(as_ana, ana, body):
    reflection = make_reflection(author=ana)
    services.save_answers(reflection, [(a, "Warm.") for a in asked_on(ana, reflection)])
    assert as_ana.post(f"/reflections/{reflection.pk}/delete/").status_code == 302
    assert not PromptAnswer.objects.exists()
