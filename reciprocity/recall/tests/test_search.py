import pytest
from django.urls import reverse

from reciprocity.recall import lexical, vectors
from reciprocity.recall.models import Document
from reciprocity.recall.search import MAX_QUERY, QueryError, rank, search
from reciprocity.recall.similar import similar_moments
from reciprocity.repertoire.services import add_item
from tests.builders import make_client, make_reflection, make_session

HEALTH = "The flash-forward helped with my own health anxiety while I waited for the scan."
EVENINGS = "Answered e-mails until late every evening; the laptop never closes."
GARDEN = "Planted tulips with my daughter on Sunday morning."


@pytest.fixture
def ana_entries(ana, ana_client):
    return {
        "health": make_reflection(make_session(ana_client), gave_me=HEALTH),
        "evenings": make_reflection(make_session(ana_client), gave_me=EVENINGS),
        "garden": make_reflection(make_session(ana_client), gave_me=GARDEN),
        "item": add_item(owner=ana, title="Shut-down ritual", description="Close the laptop at six and say done."),
    }


@pytest.fixture
def ben_entry(ben):
    return make_reflection(make_session(make_client(ben, "B-0001")), gave_me="My own health anxiety again tonight.")


def test_everyday_words_find_the_entry_that_answers_them(ana, ana_entries):
    assert search(ana, "I'm anxious about my health")[0].obj == ana_entries["health"]
    found = [hit.obj for hit in search(ana, "I can't stop working in the evenings")[:2]]
    assert set(found) == {ana_entries["evenings"], ana_entries["item"]}


def test_snippets_mark_the_query_words(ana, ana_entries):
    hit = search(ana, "health anxiety")[0]
    assert [p.text for p in hit.pieces if p.hit] == ["health", "anxiety"]
    assert "".join(p.text for p in hit.pieces) == HEALTH


@pytest.mark.parametrize("mode", ["hybrid", "vector", "lexical"])
def test_a_query_only_ever_scores_the_searchers_own_entries(ana, ben, ana_entries, ben_entry, mode):
    ben_document = Document.objects.get(object_id=ben_entry.pk, kind="reflection")
    ranked = rank(ana.pk, "my own health anxiety again tonight", mode=mode)
    assert ranked.ids and ben_document.pk not in ranked.ids
    assert set(ranked.ids) <= set(Document.objects.filter(owner=ana).values_list("pk", flat=True))
    # and neither engine looks at Ben's rows in the first place
    assert ben_document.pk not in [pk for pk, _ in lexical.ranked(ana.pk, "health anxiety tonight", 100)]
    assert ben_document.pk not in vectors.matrix_for(ana.pk).ids
    assert [hit.obj for hit in search(ben, "health anxiety")] == [ben_entry]


def test_someone_with_no_entries_finds_nothing(ana_entries, cara):
    assert search(cara, "health anxiety") == []


@pytest.mark.parametrize(
    "query",
    ['"health', "anx*", "health NEAR anxiety", "-health", "health OR", "AND", "(evening", "'; DROP TABLE x; --",
     "💤 😩 health", "\x00health", "^health", "{owner}:u1", "t0123456789ab", "u1"],
)  # fmt: skip
def test_operator_characters_are_searched_as_text(ana, ana_entries, query):
    # Beside the words of an entry, the characters change nothing: no FTS error, the same entry first.
    assert search(ana, f"{query} health anxiety scan")[0].obj == ana_entries["health"]
    search(ana, query)  # and alone they are answered, not raised


def test_an_empty_or_huge_query_is_refused_in_plain_words(ana, ana_entries):
    for query in ("", "   \n\t"):
        with pytest.raises(QueryError, match="Type a few words"):
            search(ana, query)
    long = ("health anxiety " * 700)[:MAX_QUERY]
    assert search(ana, long)[0].obj == ana_entries["health"]  # 10,000 characters are searched
    with pytest.raises(QueryError, match="at most 10,000 characters"):
        search(ana, long + " more")


def test_the_search_page(as_ana, ana_entries):
    url = reverse("recall:index")
    page = as_ana.get(url)
    assert page.status_code == 200 and "What is on your mind?" in page.content.decode()
    found = as_ana.get(url, {"q": "worried about my health"})
    html = found.content.decode()
    assert found.status_code == 200 and ana_entries["health"].get_absolute_url() in html
    assert "<mark>health</mark>" in html
    fragment = as_ana.get(url, {"q": "health"}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="results"') and "<html" not in fragment
    assert "Nothing of yours matches" in as_ana.get(url, {"q": "zqxv"}).content.decode()
    refused = as_ana.get(url, {"q": "x" * (MAX_QUERY + 1)})
    assert refused.status_code == 400 and "at most 10,000 characters" in refused.content.decode()
    script = as_ana.get(url, {"q": "<script>alert(1)</script> health"}).content.decode()
    assert "<script>alert(1)" not in script


def test_the_search_api(as_ana, ana_entries):
    answer = as_ana.get("/api/v1/search", {"q": "health anxiety", "limit": 2})
    assert answer.status_code == 200
    first = answer.json()[0]
    assert first["kind"] == "reflection" and first["id"] == ana_entries["health"].pk
    assert first["highlights"] == ["health", "anxiety"] and first["url"] == ana_entries["health"].get_absolute_url()
    for params, field in (({"q": ""}, "q"), ({"q": "x", "limit": 0}, "limit"), ({"q": "x", "limit": 51}, "limit")):
        refused = as_ana.get("/api/v1/search", params)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == field


def test_similar_moments_show_past_reflections_like_this_one_with_what_helped(ana, ana_client):
    earlier = make_reflection(make_session(ana_client), gave_me="Waiting for test results, I panicked about my body.",
                              carry_home="Run the film forward.")  # fmt: skip
    lesson = add_item(owner=ana, title="Flash-forward", reflection=earlier)
    make_reflection(make_session(ana_client), gave_me="Tulips in the garden with my daughter.")
    now = make_reflection(make_session(ana_client), gave_me="A lump, and the fear of illness kept me awake.")
    moments = similar_moments(now)
    assert [m.reflection for m in moments] == [earlier]
    assert moments[0].helped == [lesson]


def test_the_reflection_page_says_you_have_been_here_before(as_ana, ana_client):
    earlier = make_reflection(make_session(ana_client), gave_me="Waiting for test results, I panicked about my body.",
                              carry_home="Run the film forward.")  # fmt: skip
    now = make_reflection(make_session(ana_client), gave_me="A lump, and the fear of illness kept me awake.")
    html = as_ana.get(now.get_absolute_url()).content.decode()
    assert "You have been here before" in html and earlier.get_absolute_url() in html
    assert "Run the film forward." in html
    lonely = as_ana.get(earlier.get_absolute_url()).content.decode()
    assert now.get_absolute_url() in lonely  # and the other way round


def test_in_a_large_index_only_the_rarest_words_are_looked_up(ana, ana_entries, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(lexical, "LARGE", 1)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            tokens = ["t000000000000", *lexical.terms.query_terms("health evening laptop anxiety")]
            chosen = lexical._without_common(cursor, lexical.owner_token(ana.pk), tokens)
        assert len(chosen) <= lexical.MOST and "t000000000000" in chosen  # a word in no entry is the rarest
    assert search(ana, "health anxiety")[0].obj == ana_entries["health"]


def test_the_rarest_words_are_chosen_and_common_ones_left_out():
    frequency = {"rare": 1, "some": 40, "common": 900, "everywhere": 5_000}
    assert lexical.rarest(list(frequency), frequency, 1_000) == list(frequency)  # a small index: all of them
    assert lexical.rarest(list(frequency), frequency, 6_000) == ["rare", "some"]
    assert lexical.rarest(["everywhere", "common"], frequency, 6_000) == ["common"]  # always the rarest one


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_both_halves_run_at_once_and_agree(ana_entries, ana):
    from reciprocity.recall import search as search_module

    submitted = []
    real_submit = search_module._pool.submit
    search_module._pool.submit = lambda *args: submitted.append(args) or real_submit(*args)
    try:
        threaded = rank(ana.pk, "I can't stop working in the evenings")
    finally:
        search_module._pool.submit = real_submit
    assert submitted, "the full-text half should have run in the pool"
    words = lexical.ranked(ana.pk, "I can't stop working in the evenings", 50)
    assert threaded.lexical == {pk for pk, _ in words}
