"""Every way text leaves its author's private space goes through the PII guard, with the same flow:
the details are marked, nothing is saved until each is edited out or confirmed, and a confirmation is kept."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from reciprocity.peers import services as peers
from reciprocity.peers.models import Reply
from reciprocity.reports.tests.test_reports import text_of
from reciprocity.sharing import services
from reciprocity.sharing.models import Comment, Meeting
from tests.builders import make_reflection, make_user, sign_in

NAMED = "Ask Priya whether the ferry still scares her."


@pytest.fixture
def share(ana, active):
    reflection = make_reflection(author=ana, gave_me="The ferry came back to me.")
    return services.share_reflection(active, reflection, by=ana, text="The ferry came back to me.")


@pytest.mark.parametrize("who", ["therapist", "supervisor"])
def test_a_supervision_comment_waits_for_every_finding(client, ana, kim, share, who):
    sign_in(client, ana if who == "therapist" else kim)
    url = reverse("sharing:share-comment", args=[share.pk])
    blocked = client.post(url, {"text": NAMED})
    page = blocked.content.decode()
    assert blocked.status_code == 422 and "<mark" in page and "“Priya” — a personal name" in page
    assert "1 detail could identify someone" in page and NAMED in page  # the words are kept for editing
    assert not Comment.objects.exists()
    assert client.post(url, {"text": NAMED, "confirm": ["name:Priya"]}).status_code == 302
    assert Comment.objects.get().confirmed == ["name:Priya"]
    assert client.post(url, {"text": "Ask whether the ferry still scares her."}).status_code == 302


def test_a_reply_to_a_comment_keeps_its_place_while_it_is_checked(client, ana, kim, share):
    question = services.comment(share, by=kim, text="What came back?")
    sign_in(client, ana)
    url = reverse("sharing:share-comment", args=[share.pk])
    blocked = client.post(url, {"text": NAMED, "parent": question.pk})
    page = blocked.content.decode()
    assert blocked.status_code == 422 and "Your reply to Kim Adler" in page
    assert f'name="parent" value="{question.pk}"' in page
    assert client.post(url, {"text": NAMED, "parent": question.pk, "confirm": ["name:Priya"]}).status_code == 302
    assert Comment.objects.get(parent=question).text == NAMED


def test_meeting_notes_wait_for_every_finding(client, kim, share):
    sign_in(client, kim)
    url = reverse("sharing:meeting-create", args=[share.supervision.pk])
    data = {"held_on": "2026-11-02", "agenda": [share.pk], "notes": "Talked about Priya and the ferry."}
    blocked = client.post(url, data)
    assert blocked.status_code == 422 and "“Priya” — a personal name" in blocked.content.decode()
    assert not Meeting.objects.exists()
    assert client.post(url, data | {"confirm": ["name:Priya"]}).status_code == 302
    assert Meeting.objects.get().confirmed == ["name:Priya"]
    with pytest.raises(services.NeedsReview):
        services.record_meeting(share.supervision, by=kim, held_on=datetime.date(2026, 11, 3), agenda=[],
                                notes="Priya again.")  # fmt: skip
    empty = services.record_meeting(share.supervision, by=kim, held_on=datetime.date(2026, 11, 4), agenda=[], notes="")
    assert empty.notes == "" and empty.confirmed == []


def test_a_peer_reply_is_checked_on_a_form_that_still_replies(client, ana, ben, north):
    dee = make_user("dee", practice=north)
    group = peers.create_group(ana, "Tuesday consultation", [ben, dee])
    post = peers.post(group, by=ana, text="A client keeps missing sessions; I feel stuck.")
    sign_in(client, ben)
    url = reverse("peers:reply", args=[group.pk, post.pk])
    blocked = client.post(url, {"text": NAMED})
    page = blocked.content.decode()
    assert blocked.status_code == 422 and f'action="{url}"' in page and "Your reply to" in page and NAMED in page
    assert not Reply.objects.exists()
    assert client.post(url, {"text": NAMED, "confirm": ["name:Priya"]}).status_code == 302
    assert Reply.objects.get().confirmed == ["name:Priya"]


@pytest.fixture
def old_comment(share, kim):
    """A comment written before comments passed the guard: its finding was never confirmed."""
    return Comment.objects.create(share=share, author=kim, text="Did Tomasz Nowak call again?")


def test_the_packet_withholds_what_nobody_confirmed_until_its_maker_does(client, kim, share, old_comment):
    sign_in(client, kim)
    today = datetime.date.today()
    period = {"start": (today - datetime.timedelta(days=3)).isoformat(), "end": today.isoformat()}
    url = reverse("reports:packet", args=[share.supervision.pk, "pdf"])
    review = client.get(url, period)
    page = review.content.decode()
    assert review["Content-Type"].startswith("text/html") and "Check before the packet is made" in page
    assert "“Tomasz Nowak” — a personal name, in a comment by Kim Adler" in page
    withheld = text_of(client.post(url, period).content)
    assert "Tomasz" not in withheld and "[withheld: a personal name]" in withheld
    assert "1 detail that could identify someone was withheld" in withheld
    kept = text_of(client.post(url, period | {"confirm": ["name:Tomasz Nowak"]}).content)
    assert "Did Tomasz Nowak call again?" in kept and "withheld" not in kept
    services.comment(share, by=kim, text="Michael is welcome to join.", confirmed=["name:Michael"])
    assert "Michael" not in client.get(url, period).content.decode()  # confirmed by its author: not reviewed again


def test_the_packet_command_withholds_unless_told(tmp_path, kim, share, old_comment):
    day = datetime.date.today().isoformat()
    args = ["report", "packet", "--user", "kim", "--from", day, "--to", day, "-o", str(tmp_path / "p.pdf")]
    out = StringIO()
    call_command(*args, stdout=out)
    assert "Withheld 'name:Tomasz Nowak' (a personal name)" in out.getvalue()
    assert "Tomasz" not in text_of((tmp_path / "p.pdf").read_bytes())
    out = StringIO()
    call_command(*args, "--confirm", "name:Tomasz Nowak", stdout=out)
    assert "Withheld" not in out.getvalue() and "Tomasz Nowak" in text_of((tmp_path / "p.pdf").read_bytes())
