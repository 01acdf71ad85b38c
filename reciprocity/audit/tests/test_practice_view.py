"""A director's practice view is a read of every therapist in it, named as such for those who consented."""

from django.urls import reverse

from reciprocity.audit.models import Action, Event
from reciprocity.practice.models import Role
from tests.builders import make_user, sign_in


def test_each_therapist_learns_the_director_saw_the_team(client, ana, ben, cara, north):
    ana.shows_in_practice_view = True
    ana.save(update_fields=["shows_in_practice_view"])
    dora = make_user("dora", practice=north, role=Role.DIRECTOR, full_name="Dora Diaz")
    sign_in(client, dora)
    assert client.get(reverse("insights:practice")).status_code == 200
    reads = {e.subject.username: e for e in Event.objects.filter(action=Action.READ).select_related("subject")}
    assert set(reads) == {"ana", "ben"}  # Cara is in another practice
    assert reads["ana"].what == "the practice view, with your figures by name"
    assert reads["ben"].what == "the practice view (team figures only)"
    assert all(e.actor == dora and e.address == "127.0.0.1" for e in reads.values())


def test_a_therapist_refused_the_practice_view_reads_nothing(as_ana, ana, ben):
    assert as_ana.get(reverse("insights:practice")).status_code == 403
    assert not Event.objects.filter(action=Action.READ).exists()
