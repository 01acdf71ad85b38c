import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reciprocity.lib.ownership import NotYours
from reciprocity.repertoire.forms import parse_tags
from reciprocity.repertoire.models import Item, Origin, Trial
from reciprocity.repertoire.selectors import repertoire_of
from reciprocity.repertoire.services import add_item, log_trial, prefill_from
from tests.builders import make_reflection
from tests.cookies import messages_cookie_text

TODAY = datetime.date(2026, 11, 2)


def _item(owner, title="Paced breathing", **fields):
    return add_item(owner=owner, title=title, **({"description": "Slow out-breath."} | fields))


def _try(item, helped, days_ago=1):
    return log_trial(item, by=item.owner, tried_on=TODAY - datetime.timedelta(days=days_ago),
                     situation="Before a hard call.", helped=helped)  # fmt: skip


def test_the_page_ranks_what_helped_most_and_lists_what_was_never_tried(ana, as_ana):
    grounding, breathing, _ = _item(ana, "Grounding"), _item(ana, "Paced breathing"), _item(ana, "Values card")
    _try(grounding, 3), _try(grounding, 5), _try(breathing, 5), _try(breathing, 4)  # means 4.0 and 4.5
    page = repertoire_of(ana)
    assert [i.title for i in page.tried] == ["Paced breathing", "Grounding"]
    assert [i.title for i in page.untried] == ["Values card"]
    html = as_ana.get(reverse("repertoire:index")).content.decode()
    assert html.index("Paced breathing") < html.index("Grounding") < html.index("Never tried on myself yet")
    assert html.index("Never tried on myself yet") < html.index("Values card")
    assert "Helped 4.5 of 5 on average" in html


def test_adding_an_item_from_a_reflection_is_prefilled_and_linked(ana, as_ana, ana_reflection):
    ana_reflection.resilience, ana_reflection.empathy = 4, 3
    ana_reflection.save()
    form_page = as_ana.get(reverse("repertoire:create") + f"?reflection={ana_reflection.pk}")
    assert form_page.status_code == 200
    initial = form_page.context["form"].initial
    assert initial["title"] == "Pause before answering"
    assert initial["description"] == "Patience with my sister. Pause before answering."
    assert initial["origin"] == Origin.SESSION and initial["dimensions"] == ["empathy", "resilience"]
    response = as_ana.post(
        reverse("repertoire:create") + f"?reflection={ana_reflection.pk}",
        {"title": "Pause before answering", "description": "Works at home too.", "origin": "session",
         "dimensions": ["resilience", "empathy"], "tags": "Anger, family,  anger "},
    )  # fmt: skip
    item = Item.objects.get(owner=ana)
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.reflection == ana_reflection
    assert item.dimensions == ["empathy", "resilience"] and item.tags == ["anger", "family"]


def test_prefill_names_the_occasion_it_came_from(ana):
    reflection = make_reflection(author=ana, gave_me="A long day of training on exposure.")
    reflection.occasion = "training"
    assert prefill_from(reflection)["origin"] == Origin.TRAINING


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the item a short title"),
        ({"title": "x" * 161}, "title", "under 160 characters"),
        ({"title": "Ok", "origin": "dream"}, "origin", "from the list"),
        ({"title": "Ok", "dimensions": ["courage"]}, "dimensions", "seven shown"),
        ({"title": "Ok", "tags": ", ".join(f"t{n}" for n in range(13))}, "tags", "at most 12 tags"),
        ({"title": "Ok", "tags": "a" * 41}, "tags", "at most 40 characters"),
    ],
)
def test_a_bad_item_is_refused_in_plain_words_and_nothing_is_saved(ana, as_ana, data, field, message):
    response = as_ana.post(reverse("repertoire:create"), {"origin": "reading"} | data)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not Item.objects.exists()


def test_a_try_is_logged_and_a_future_or_out_of_range_one_is_refused(ana, as_ana):
    item = _item(ana)
    url = reverse("repertoire:trial-create", args=[item.pk])
    good = {"tried_on": "2026-10-01", "situation": "Stuck in traffic, late.", "helped": "4", "note": "Calmer."}
    assert as_ana.post(url, good).status_code == 302
    assert Trial.objects.get().helped == 4
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    for bad, message in (({"tried_on": tomorrow}, "after it happened"), ({"helped": "6"}, "from 1 to 5"),
                         ({"situation": ""}, "what was going on")):  # fmt: skip
        response = as_ana.post(url, good | bad)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert Trial.objects.count() == 1


def test_editing_and_deleting_an_item_and_a_try(ana, as_ana):
    item = _item(ana)
    trial = _try(item, 2)
    edit = as_ana.post(reverse("repertoire:edit", args=[item.pk]),
                       {"title": "Slow breathing", "origin": "reading", "tags": "breath"})  # fmt: skip
    assert edit.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.origin, item.tags) == ("Slow breathing", "reading", ["breath"])
    assert as_ana.post(reverse("repertoire:trial-delete", args=[trial.pk])).status_code == 302
    assert not Trial.objects.exists()
    assert as_ana.post(reverse("repertoire:delete", args=[item.pk])).status_code == 302
    assert not Item.objects.exists()


def test_the_flash_messages_cookie_never_carries_an_items_title(ana, as_ana):
    title = "Flash-forward for my own health anxiety"
    added = as_ana.post(reverse("repertoire:create"), {"title": title, "origin": "client_work"})
    assert added.status_code == 302
    assert title not in messages_cookie_text(added) and "Added to your repertoire." in messages_cookie_text(added)
    deleted = as_ana.post(reverse("repertoire:delete", args=[Item.objects.get().pk]))
    assert deleted.status_code == 302 and not Item.objects.exists()
    assert title not in messages_cookie_text(deleted)
    assert "Deleted from your repertoire" in messages_cookie_text(deleted)


def test_services_refuse_another_therapists_reflection_and_item(ana, ben, ana_reflection):
    with pytest.raises(NotYours):
        add_item(owner=ben, title="Taken", reflection=ana_reflection)
    with pytest.raises(NotYours):
        log_trial(_item(ana), by=ben, tried_on=TODAY, situation="x", helped=3)
    assert Item.objects.filter(owner=ben).count() == 0 and Trial.objects.count() == 0


def test_the_list_and_filters_show_only_ones_own_items(ana, ben, as_ana):
    _item(ana, "Mine", tags=["sleep"], dimensions=["boundaries"])
    _item(ben, "Bens secret lesson", tags=["sleep"])
    html = as_ana.get(reverse("repertoire:index") + "?tag=sleep").content.decode()
    assert "Mine" in html and "Bens secret lesson" not in html
    assert "Mine" not in as_ana.get(reverse("repertoire:index") + "?tag=work").content.decode()
    assert "Mine" in as_ana.get(reverse("repertoire:index") + "?dimension=boundaries").content.decode()
    assert as_ana.get(reverse("repertoire:index") + "?dimension=<script>").status_code == 200


def test_parse_tags_trims_lowercases_and_drops_repeats():
    assert parse_tags(" Sleep ;sleep,\nEvening  walks ,, ") == ["sleep", "evening walks"]


def test_every_reflection_offers_add_to_my_repertoire(as_ana, ana_reflection):
    html = as_ana.get(ana_reflection.get_absolute_url()).content.decode()
    assert f"{reverse('repertoire:create')}?reflection={ana_reflection.pk}" in html


def test_the_repertoire_api_adds_items_and_tries_and_keeps_them_private(client, ana, ben):
    from tests.test_api import bearer

    headers = bearer(ana)
    created = client.post("/api/v1/repertoire", {"title": "Grounding", "tags": ["Panic"], "dimensions": ["resilience"]},
                          content_type="application/json", headers=headers)  # fmt: skip
    assert created.status_code == 201 and created.json()["tags"] == ["panic"]
    item_id = created.json()["id"]
    tried = client.post(f"/api/v1/repertoire/{item_id}/trials",
                        {"tried_on": "2026-10-01", "situation": "Before a talk.", "helped": 5},
                        content_type="application/json", headers=headers)  # fmt: skip
    assert tried.status_code == 201
    listed = client.get("/api/v1/repertoire", headers=headers).json()
    assert listed["count"] == 1 and listed["items"][0]["trials"][0]["helped"] == 5
    refused = client.post(f"/api/v1/repertoire/{item_id}/trials",
                          {"tried_on": "2026-10-01", "situation": "x", "helped": 9},
                          content_type="application/json", headers=headers)  # fmt: skip
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "helped"
    stranger = client.post(f"/api/v1/repertoire/{item_id}/trials",
                           {"tried_on": "2026-10-01", "situation": "x", "helped": 3},
                           content_type="application/json", headers=bearer(ben))  # fmt: skip
    assert stranger.status_code == 404 and Trial.objects.count() == 1
    assert client.post("/api/v1/repertoire", {"title": ""}, content_type="application/json",
                       headers=headers).status_code == 422  # fmt: skip


def test_the_repertoire_api_lists_items_in_a_fixed_number_of_queries(client, ana, django_assert_max_num_queries):
    from tests.test_api import bearer

    headers = bearer(ana)
    for n in range(6):
        _try(_item(ana, f"Item {n}"), 4)
    with django_assert_max_num_queries(8):  # not one more per item
        assert client.get("/api/v1/repertoire", headers=headers).json()["count"] == 6
