import pytest
from django.urls import reverse

from reciprocity.practice.models import Role
from reciprocity.sharing import services
from reciprocity.sharing.models import Share
from reciprocity.sharing.pii import find_pii, marked
from reciprocity.sharing.tests.pii_sentences import SENTENCES
from tests.builders import make_reflection, make_user

PRECISION_FLOOR, RECALL_FLOOR = 0.9, 0.9  # measured 1.00 and 0.97 (docs/sharing.md)


def score(sentences):
    """(precision, recall) at the level of findings: a finding counts when its kind matches and its words
    overlap a labelled span."""
    hits = false_alarms = misses = 0
    for sentence, expected in sentences:
        open_labels = list(expected)
        for finding in find_pii(sentence):
            match = next((e for e in open_labels if e[0] == finding.kind and (e[1] in finding.text or
                                                                            finding.text in e[1])), None)  # fmt: skip
            if match:
                hits += 1
                open_labels.remove(match)
            else:
                false_alarms += 1
        misses += len(open_labels)
    return hits / (hits + false_alarms), hits / (hits + misses)


def test_the_guard_is_measured_on_at_least_fifty_labelled_sentences():
    precision, recall = score(SENTENCES)
    assert len(SENTENCES) >= 50
    assert sum(1 for _, labels in SENTENCES if not labels) >= 15  # precision is measured too
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Call me on 07700 900123.", "phone"),
        ("Write to a.b@example.org", "email"),
        ("Born on 02/03/1999.", "date"),
        ("She lives at 3 Mill Lane.", "address"),
        ("A 40-year-old from Hull.", "age_place"),
        ("Then Oliver left.", "name"),
    ],
)
def test_each_kind_is_found(text, kind):
    assert [f.kind for f in find_pii(text)] == [kind]


def test_marked_pieces_rebuild_the_text():
    text = "Sarah phoned 07700 900123 twice."
    pieces = marked(text, find_pii(text))
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces if p.finding] == ["Sarah", "07700 900123"]


@pytest.fixture
def supervision(ana, north):
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR)
    return services.accept(services.invite(ana, kim), kim)


def test_sharing_waits_until_every_finding_is_edited_or_confirmed(as_ana, ana, supervision):
    reflection = make_reflection(author=ana, gave_me="Sarah cried when we spoke of 3 March 2021.")
    url = reverse("sharing:share-reflection", args=[reflection.pk])
    form = as_ana.get(url).content.decode()
    assert "<mark" in form and "“Sarah” — a personal name" in form and "“3 March 2021” — a date" in form
    data = {"supervision": supervision.pk, "text": reflection.gave_me}
    blocked = as_ana.post(url, data)
    assert blocked.status_code == 422 and "2 details could identify someone" in blocked.content.decode()
    half = as_ana.post(url, data | {"confirm": ["name:Sarah"]})
    assert half.status_code == 422 and "1 detail could identify someone" in half.content.decode()
    assert not Share.objects.exists()
    edited = as_ana.post(url, data | {"text": "The client cried when we spoke of the anniversary.", "confirm": []})
    assert edited.status_code == 302
    assert Share.objects.get().text == "The client cried when we spoke of the anniversary."


def test_confirming_every_finding_shares_the_words_as_they_are(ana, supervision):
    reflection = make_reflection(author=ana, gave_me="Grace under pressure, as Dr Who would say.")
    with pytest.raises(services.NeedsReview) as review:
        services.share_reflection(supervision, reflection, by=ana, text=reflection.gave_me)
    keys = [f.key for f in review.value.findings]
    share = services.share_reflection(supervision, reflection, by=ana, text=reflection.gave_me, confirmed=keys)
    assert share.confirmed == keys and share.text == reflection.gave_me
