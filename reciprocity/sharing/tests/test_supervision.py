import datetime

import pytest
from django.urls import reverse

from reciprocity.audit.models import Action, Event
from reciprocity.lib.ownership import NotYours
from reciprocity.reports import content
from reciprocity.sharing import services
from reciprocity.sharing.display import share_title
from reciprocity.sharing.models import Comment, Kind, Meeting, Share, Supervision
from tests.builders import make_reflection, sign_in

PRIVATE = "Patience with my sister."


@pytest.fixture
def shared(active, ana, ana_reflection):
    return services.share_reflection(active, ana_reflection, by=ana, text="Patience came back to me today.")


def test_an_invitation_becomes_active_when_accepted_and_shares_nothing_by_itself(client, ana, kim):
    client.force_login(ana)
    assert client.post(reverse("sharing:invite"), {"supervisor": kim.pk}).status_code == 302
    supervision = Supervision.objects.get()
    assert supervision.is_pending
    sign_in(client, kim)
    page = client.get(reverse("sharing:index")).content.decode()
    assert "Ana Alves asks you to be their supervisor" in page
    assert client.post(reverse("sharing:accept", args=[supervision.pk]), {"answer": "1"}).status_code == 302
    supervision.refresh_from_db()
    assert supervision.is_active and not supervision.shares.exists()
    page = client.get(supervision.get_absolute_url()).content.decode()
    assert "No reflections shared." in page and "Flywheel summary" not in page and "Well-being trend" not in page


@pytest.mark.parametrize("who", ["self", "outsider"])
def test_inviting_oneself_or_someone_outside_the_practice_is_refused(client, ana, cara, who):
    client.force_login(ana)
    target = ana if who == "self" else cara
    response = client.post(reverse("sharing:invite"), {"supervisor": target.pk})
    assert response.status_code == 422
    assert "member of your own practice" in response.content.decode()
    with pytest.raises(services.SharingError, match="own supervisor" if who == "self" else "your own practice"):
        services.invite(ana, target)
    assert not Supervision.objects.exists()


def test_an_invitation_link_works_once_for_a_member_of_the_practice(client, ana, kim, cara):
    supervision, token = services.invite_by_link(ana)
    url = reverse("sharing:join", args=[token])
    client.force_login(cara)
    refused = client.post(url)
    assert refused.status_code == 400 and "members of North clinic" in refused.content.decode()
    client.force_login(ana)
    assert "your own invitation" in client.post(url).content.decode()
    sign_in(client, kim)
    assert client.post(url).status_code == 302
    supervision.refresh_from_db()
    assert supervision.supervisor == kim and supervision.is_active
    assert client.get(url).status_code == 410
    assert Supervision.objects.get().invite_hash == ""


def test_each_kind_is_shared_only_when_consented_and_gone_on_the_next_request(client, ana, kim, active, shared):
    sign_in(client, kim)
    url = active.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Patience came back to me today." in page
    assert "Well-being trend" not in page and "Flywheel summary" not in page
    for kind, heading in ((Kind.WELLBEING, "Well-being trend"), (Kind.FLYWHEEL, "Flywheel summary")):
        services.set_consent(active, kind, by=ana, on=True)
        assert heading in client.get(url).content.decode()
        services.set_consent(active, kind, by=ana, on=False)
        assert heading not in client.get(url).content.decode()
    assert client.get(shared.get_absolute_url()).status_code == 200
    services.revoke(shared, by=ana)
    assert "Patience came back" not in client.get(url).content.decode()
    assert client.get(shared.get_absolute_url()).status_code == 404
    assert client.post(reverse("sharing:share-comment", args=[shared.pk]), {"text": "hello"}).status_code == 404


def test_the_supervisor_never_sees_the_original_words_only_what_was_shared(client, kim, active, shared):
    sign_in(client, kim)
    for url in (active.get_absolute_url(), shared.get_absolute_url()):
        assert PRIVATE not in client.get(url).content.decode()
    # and nothing of the therapist's own pages
    assert client.get(shared.reflection.get_absolute_url()).status_code == 404


def test_ending_the_supervision_hides_everything(client, ana, kim, active, shared):
    services.set_consent(active, Kind.FLYWHEEL, by=ana, on=True)
    sign_in(client, kim)
    assert client.post(reverse("sharing:end", args=[active.pk])).status_code == 302
    assert client.get(active.get_absolute_url()).status_code == 404
    assert client.get(shared.get_absolute_url()).status_code == 404
    assert not Share.objects.filter(revoked_at__isnull=True).exists()


def test_a_colleague_without_consent_sees_nothing(client, ben, active, shared):
    client.force_login(ben)
    for url in (
        active.get_absolute_url(),
        shared.get_absolute_url(),
        reverse("sharing:meeting-create", args=[active.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_comments_are_threaded_and_both_sides_can_write(client, ana, kim, shared):
    sign_in(client, kim)
    url = reverse("sharing:share-comment", args=[shared.pk])
    assert client.post(url, {"text": "What did patience cost you?"}).status_code == 302
    first = Comment.objects.get()
    client.force_login(ana)
    assert client.post(url, {"text": "Less than I feared.", "parent": first.pk}).status_code == 302
    reply = Comment.objects.get(parent=first)
    assert reply.author == ana
    page = client.get(shared.get_absolute_url()).content.decode()
    assert page.index("What did patience cost you?") < page.index("Less than I feared.")
    assert client.post(url, {"text": "  "}).status_code == 422
    assert client.post(url, {"text": "x", "parent": 999999}).status_code == 422
    assert Comment.objects.count() == 2


def test_meeting_notes_take_their_agenda_from_shared_items(client, kim, active, shared):
    sign_in(client, kim)
    data = {"held_on": "2026-11-20", "agenda": [shared.pk], "notes": "Talked about patience."}
    response = client.post(reverse("sharing:meeting-create", args=[active.pk]), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert list(meeting.agenda.all()) == [shared] and meeting.held_on == datetime.date(2026, 11, 20)
    assert "Talked about patience." in client.get(active.get_absolute_url()).content.decode()
    other = make_reflection(author=active.therapist, gave_me="Another day.")
    assert client.post(reverse("sharing:meeting-create", args=[active.pk]),
                       {"held_on": "2026-11-21", "agenda": [other.pk]}).status_code == 422  # fmt: skip


def test_the_therapist_sees_who_viewed_what_and_when(client, ana, kim, active, shared):
    services.set_consent(active, Kind.WELLBEING, by=ana, on=True)
    sign_in(client, kim)
    client.get(active.get_absolute_url())
    client.get(shared.get_absolute_url())
    seen = set(Event.objects.filter(actor=kim, subject=ana, action=Action.READ).values_list("what", flat=True))
    assert {"read the well-being trend", "read the list of shared items", f"read “{shared}”"} <= seen
    client.force_login(ana)
    page = client.get(active.get_absolute_url()).content.decode()
    assert "Who viewed what" in page and "Kim Adler" in page and str(shared) in page
    client.get(shared.get_absolute_url())  # the therapist's own reading is not logged
    assert not Event.objects.filter(actor=ana, action=Action.READ).exists()


def test_services_refuse_the_wrong_person(ana, ben, kim, active, shared, ana_reflection):
    with pytest.raises(NotYours):
        services.set_consent(active, Kind.FLYWHEEL, by=kim, on=True)
    with pytest.raises(NotYours):
        services.revoke(shared, by=kim)
    with pytest.raises(NotYours):
        services.comment(shared, by=ben, text="Let me in")
    ben_reflection = make_reflection(author=ben, gave_me="Mine.")
    with pytest.raises(NotYours):
        services.share_reflection(active, ben_reflection, by=ana, text="Not mine")
    with pytest.raises(services.SharingError, match="already shared"):
        services.share_reflection(active, ana_reflection, by=ana, text="Again")


def test_a_share_taken_back_leaves_the_supervisors_agendas_and_packet(client, ana, kim, active, shared):
    """The meeting stays with its notes; the title of what was taken back is no longer on its agenda for the
    supervisor, on the page or in the packet. The therapist who shared it still sees their own agenda whole."""
    meeting = services.record_meeting(active, by=kim, held_on=datetime.date.today(), agenda=[shared], notes="We met.")
    title = share_title(shared)
    sign_in(client, kim)
    assert title in client.get(active.get_absolute_url()).content.decode()
    services.revoke(shared, by=ana)
    page = client.get(active.get_absolute_url()).content.decode()
    assert "We met." in page and title not in page
    today = datetime.date.today()
    packet = content.packet(active, content.Period(today, today))
    assert [list(m.agenda.all()) for m in packet["meetings"]] == [[]]
    client.force_login(ana)
    assert title in client.get(active.get_absolute_url()).content.decode()
    assert list(meeting.agenda.all()) == [shared]  # kept: only what each reads is narrowed
