import pytest
from django.urls import reverse

from reciprocity.practice.models import Role
from reciprocity.sharing import services
from reciprocity.sharing.models import Share
from reciprocity.sharing.pii import find_pii, marked, withhold
from reciprocity.sharing.pii_eval import evaluate
from reciprocity.sharing.pii_set import KINDS, Sentence, final, fresh, held_back, load, seventh, sixth, unseen
from reciprocity.sharing.tests.pii_sentences import SENTENCES
from tests.builders import make_reflection, make_user

# Issue 19's targets, met on text the guard was not tuned on (seventh.jsonl: recall 0.966, every kind ≥ 0.89,
# precision 0.990; docs/sharing.md, bench/pii.py), and on the sets it was tuned on.
HELD_RECALL, HELD_KIND_RECALL, HELD_PRECISION = 0.95, 0.85, 0.95
RECALL, KIND_RECALL, PRECISION = 0.95, 0.85, 0.90


@pytest.fixture(scope="module")
def held_score():
    return evaluate(seventh())


def test_the_guard_holds_its_measured_level_on_text_it_was_not_tuned_on(held_score):
    assert len(seventh()) >= 300 and held_score.clean >= 100  # precision is measured on hard clean text too
    assert held_score.recall >= HELD_RECALL and held_score.precision >= HELD_PRECISION
    assert all(k.recall >= HELD_KIND_RECALL for k in held_score.kinds.values()), held_score.misses


@pytest.fixture(scope="module")
def tuned_score():
    return evaluate(load() + held_back() + final() + fresh() + unseen() + sixth())


@pytest.mark.engine_independent  # no database: the PostgreSQL pass leaves it out
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_meets_its_target_on_the_sets_the_guard_was_tuned_on(tuned_score, kind):
    score = tuned_score
    assert score.kinds[kind].labelled >= 40, f"too few {kind} details to measure"
    assert score.kinds[kind].recall >= KIND_RECALL, [m for m in score.misses if m[1] == kind]
    assert score.recall >= RECALL and score.precision >= PRECISION


def test_the_first_set_is_still_caught():
    score = evaluate([Sentence(n, text, tuple(spans)) for n, (text, spans) in enumerate(SENTENCES)])
    assert score.recall >= 0.97 and score.precision >= 0.97, (score.misses, score.alarms)


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("Call me on 07700 900123.", "phone", "07700 900123"),
        ("Write to a.b@example.org", "email", "a.b@example.org"),
        ("Born on 02/03/1999.", "date", "02/03/1999"),
        ("It was Christmas Eve 2015.", "date", "Christmas Eve 2015"),
        ("She lives at 3 Mill Lane.", "address", "3 Mill Lane"),
        ("His son, aged 7, draws all day.", "age", "aged 7"),
        ("A seven-year-old asked for her.", "age", "seven-year-old"),
        ("Then Oliver left.", "name", "Oliver"),
        ("Then Wanjiru left.", "name", "Wanjiru"),
        ("Her daughter Nkechi rang.", "name", "Nkechi"),
        ("Then his wife Samira came.", "name", "Samira"),
        ("She posts as @sunny_k84 every night.", "handle", "@sunny_k84"),
        ("He games as SilentKnight_88 all night.", "handle", "SilentKnight_88"),
        ("The login came from 203.0.113.64 again.", "ip", "203.0.113.64"),
        ("The log showed 2001:db8:85a3::8a2e:370:7334.", "ip", "2001:db8:85a3::8a2e:370:7334"),
        ("See linkedin.com/in/tomasz-nowak for him.", "url", "linkedin.com/in/tomasz-nowak"),
        ("He works at Brightwater Logistics now.", "institution", "Brightwater Logistics"),
        ("She teaches at Castlegate Academy.", "institution", "Castlegate Academy"),
        ("She is the only pharmacist in Tobermory.", "quasi", "the only pharmacist in Tobermory"),
        ("He runs the only vegan bakery in our small town.", "quasi", "the only vegan bakery in our small town"),
    ],
)
def test_each_kind_is_found(text, kind, words):
    assert [(f.kind, f.text) for f in find_pii(text)] == [(kind, words)]


@pytest.mark.parametrize(
    "text",
    [
        "Parkinson's and Asperger's came up, and I thought of Winnicott and Bowlby.",
        "Will it help? Grace under pressure is what she wants; Hope is a discipline. Mark my words.",
        "We used the Beck Depression Inventory; her PHQ-9 fell from 18 to 12 in session 12.",
        "In May she felt better; on Mondays she is still flat, and she is in her forties.",
        "Esther Perel's book and Stockholm syndrome came up; she is an Aries, she says, and Irish.",
        "I felt about twelve years old when my supervisor questioned me.",
        "The school rang twice and the hospital has not replied; the first time in years.",
    ],
)
def test_clinical_words_and_everyday_names_raise_no_alarm(text):
    assert find_pii(text) == []


def test_marked_pieces_rebuild_the_text():
    text = "Sarah phoned 07700 900123 twice."
    pieces = marked(text, find_pii(text))
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces if p.finding] == ["Sarah", "07700 900123"]


def test_withholding_keeps_what_was_confirmed_and_names_the_kind_of_the_rest():
    text, held = withhold("Priya phoned 07700 900123 twice.", {"name:Priya"})
    assert text == "Priya phoned [withheld: a phone number] twice." and [f.kind for f in held] == ["phone"]


@pytest.fixture
def supervision(ana, north):
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR)
    return services.accept(services.invite(ana, kim), kim)


def test_sharing_waits_until_every_finding_is_edited_or_confirmed(as_ana, ana, supervision):
    reflection = make_reflection(author=ana, gave_me="Priya cried when we spoke of 3 March 2021.")
    url = reverse("sharing:share-reflection", args=[reflection.pk])
    form = as_ana.get(url).content.decode()
    assert "<mark" in form and "“Priya” — a personal name" in form and "“3 March 2021” — a date" in form
    data = {"supervision": supervision.pk, "text": reflection.gave_me}
    blocked = as_ana.post(url, data)
    assert blocked.status_code == 422 and "2 details could identify someone" in blocked.content.decode()
    half = as_ana.post(url, data | {"confirm": ["name:Priya"]})
    assert half.status_code == 422 and "1 detail could identify someone" in half.content.decode()
    assert not Share.objects.exists()
    edited = as_ana.post(url, data | {"text": "The client cried when we spoke of the anniversary.", "confirm": []})
    assert edited.status_code == 302
    assert Share.objects.get().text == "The client cried when we spoke of the anniversary."


def test_confirming_every_finding_shares_the_words_as_they_are(ana, supervision):
    reflection = make_reflection(author=ana, gave_me="Sunniva under pressure, as Dr Who would say.")
    with pytest.raises(services.NeedsReview) as review:
        services.share_reflection(supervision, reflection, by=ana, text=reflection.gave_me)
    keys = [f.key for f in review.value.findings]
    share = services.share_reflection(supervision, reflection, by=ana, text=reflection.gave_me, confirmed=keys)
    assert share.confirmed == sorted(keys) and share.text == reflection.gave_me
