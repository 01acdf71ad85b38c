"""A supervisor's reads and writes of a therapist's shared things are recorded; the therapist's own are not."""

import pytest
from django.urls import reverse

from reciprocity.audit.models import Action, Event
from reciprocity.peers import services as peers
from reciprocity.practice.models import Role
from reciprocity.sharing import services as sharing
from reciprocity.sharing.models import Kind
from tests.builders import make_user, sign_in


@pytest.fixture
def kim(north):
    return make_user("kim", practice=north, role=Role.SUPERVISOR, full_name="Kim Adler")


@pytest.fixture
def active(ana, kim):
    supervision = sharing.invite(ana, kim)
    return sharing.accept(supervision, kim)


@pytest.fixture
def shared(active, ana, ana_reflection):
    return sharing.share_reflection(active, ana_reflection, by=ana, text="Patience, quietly.")


def about_ana(ana, action=Action.READ):
    return list(Event.objects.about(ana).filter(action=action).order_by("pk"))


def test_opening_the_supervision_page_records_each_thing_read(client, ana, kim, active, shared):
    sharing.set_consent(active, Kind.WELLBEING, by=ana, on=True)
    sign_in(client, kim)
    assert client.get(active.get_absolute_url()).status_code == 200
    events = about_ana(ana)
    assert {e.what for e in events} == {"read the well-being trend", "read the list of shared items"}
    assert all(e.actor == kim and e.address == "127.0.0.1" for e in events)


def test_opening_a_shared_item_is_recorded_with_a_reference_to_it(client, ana, kim, shared):
    sign_in(client, kim)
    assert client.get(shared.get_absolute_url()).status_code == 200
    [event] = about_ana(ana)
    assert (event.object_kind, event.object_id, event.actor) == ("sharing.share", str(shared.pk), kim)
    assert "Patience" not in event.what  # a date and a kind, never the words shared


def test_a_supervisors_comment_is_a_recorded_change(client, ana, kim, shared):
    sign_in(client, kim)
    response = client.post(reverse("sharing:share-comment", args=[shared.pk]), {"text": "What helped?"})
    assert response.status_code == 302
    [event] = about_ana(ana, Action.CHANGE)
    assert event.actor == kim and event.what.startswith("commented on") and "What helped" not in event.what


def test_a_refused_comment_leaves_no_event(client, ana, kim, shared):
    sign_in(client, kim)
    assert client.post(reverse("sharing:share-comment", args=[shared.pk]), {"text": "  "}).status_code == 422
    assert about_ana(ana, Action.CHANGE) == []


def test_meeting_notes_by_the_supervisor_are_a_recorded_change(client, ana, kim, active, shared):
    sign_in(client, kim)
    data = {"held_on": "2026-11-20", "agenda": [shared.pk], "notes": "Talked."}
    assert client.post(reverse("sharing:meeting-create", args=[active.pk]), data).status_code == 302
    [event] = about_ana(ana, Action.CHANGE)
    assert event.what == "wrote the notes of the meeting of 20 Nov 2026" and event.object_kind == "sharing.meeting"


def test_the_therapists_own_reading_and_commenting_are_not_access_by_someone_else(as_ana, ana, active, shared):
    as_ana.get(active.get_absolute_url())
    as_ana.get(shared.get_absolute_url())
    as_ana.post(reverse("sharing:share-comment", args=[shared.pk]), {"text": "Thanks."})
    assert Event.objects.about(ana).exclude(action=Action.SIGN_IN).count() == 0


def test_the_therapist_sees_the_supervisors_reads_on_the_supervision_page(client, ana, kim, active, shared):
    sign_in(client, kim)
    client.get(shared.get_absolute_url())
    sign_in(client, ana)
    page = client.get(active.get_absolute_url()).content.decode()
    assert "Kim Adler" in page and f"read “{shared}”" in page and reverse("audit:activity") in page


def test_peer_group_reads_are_shared_by_design_and_not_recorded(client, ana, ben, kim):
    group = peers.create_group(ana, "Peers", [ben, kim])
    peers.post(group, by=ana, text="A hard week.")
    sign_in(client, ben)
    assert client.get(reverse("peers:group", args=[group.pk])).status_code == 200
    assert Event.objects.about(ana).exclude(action=Action.SIGN_IN).count() == 0
