"""The PII guard names what it found in the page's language; what it stores (a finding's kind) stays the same."""

from django.urls import reverse

from reciprocity.sharing import services
from reciprocity.sharing.models import Comment
from tests.builders import make_reflection, sign_in

NAMED = "Ask Priya whether the ferry still scares her."


def test_the_review_in_spanish_names_the_kinds_in_spanish(client, ana, active):
    ana.language = "es"
    ana.save(update_fields=["language"])
    reflection = make_reflection(author=ana, gave_me="The ferry came back to me.")
    share = services.share_reflection(active, reflection, by=ana, text="The ferry came back to me.")
    sign_in(client, ana)
    url = reverse("sharing:share-comment", args=[share.pk])
    blocked = client.post(url, {"text": NAMED})
    page = blocked.content.decode()
    assert blocked.status_code == 422 and '<html lang="es">' in page
    assert "“Priya” — un nombre de persona" in page and '<mark title="un nombre de persona">Priya</mark>' in page
    assert "1 dato podría identificar a alguien (un nombre de persona)" in page
    assert "Revisa antes de compartir:" in page and "Confirmar como no identificativo" in page
    assert "a personal name" not in page and "Check before sharing" not in page
    assert client.post(url, {"text": NAMED, "confirm": ["name:Priya"]}).status_code == 302
    assert Comment.objects.get().confirmed == ["name:Priya"]  # stored as it is in any language


def test_a_meeting_form_in_english_keeps_its_words(client, kim, active):
    sign_in(client, kim)
    page = client.post(reverse("sharing:meeting-create", args=[active.pk]),
                       {"held_on": "2026-11-02", "notes": "Talked about Priya."}).content.decode()  # fmt: skip
    assert "“Priya” — a personal name" in page and '<mark title="a personal name">Priya</mark>' in page
    assert "1 detail could identify someone (a personal name): edit it out, or confirm each is not identifying." in page
