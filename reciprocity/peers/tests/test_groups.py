import pytest
from django.urls import reverse

from reciprocity.lib.ownership import NotYours
from reciprocity.peers import services
from reciprocity.peers.models import Group, Member, Post, Reply
from reciprocity.sharing.services import SharingError
from tests.builders import make_user
from tests.cookies import messages_cookie_text


@pytest.fixture
def dee(north):
    return make_user("dee", practice=north, full_name="Dee Dunn")


@pytest.fixture
def eve(north):
    return make_user("eve", practice=north, full_name="Eve Ellis")


@pytest.fixture
def group(ana, ben, dee):
    return services.create_group(ana, "Tuesday consultation", [ben, dee])


def test_a_group_is_started_with_two_to_seven_colleagues_of_the_practice(as_ana, ana, ben, dee, cara):
    url = reverse("peers:index")
    too_small = as_ana.post(url, {"name": "Pair", "members": [ben.pk]})
    assert too_small.status_code == 422 and "3 to 8 members" in too_small.content.decode()
    outsider = as_ana.post(url, {"name": "Mixed", "members": [ben.pk, cara.pk]})
    assert outsider.status_code == 422 and "your own colleagues" in outsider.content.decode()
    assert not Group.objects.exists()
    assert as_ana.post(url, {"name": "Tuesday consultation", "members": [ben.pk, dee.pk]}).status_code == 302
    assert Member.objects.count() == 3


def test_members_post_de_identified_reflections_and_reply(client, ana, ben, group):
    client.force_login(ana)
    url = group.get_absolute_url()
    blocked = client.post(url, {"text": "Sarah, 07700 900123, keeps missing sessions."})
    assert blocked.status_code == 422 and "<mark" in blocked.content.decode()
    assert not Post.objects.exists()
    posted = client.post(url, {"text": "A client keeps missing sessions after a loss; I feel stuck.",
                                "confirm": []})  # fmt: skip
    assert posted.status_code == 302
    post = Post.objects.get()
    client.force_login(ben)
    assert "I feel stuck" in client.get(url).content.decode()
    assert client.post(reverse("peers:reply", args=[group.pk, post.pk]), {"text": "What does the loss ask of you?"}
                       ).status_code == 302  # fmt: skip
    assert Reply.objects.get().author == ben


def test_someone_outside_the_group_sees_and_writes_nothing(client, eve, cara, group, ana):
    post = services.post(group, by=ana, text="A case I am stuck with.")
    for outsider in (eve, cara):
        client.force_login(outsider)
        assert client.get(group.get_absolute_url()).status_code == 404
        assert client.post(reverse("peers:reply", args=[group.pk, post.pk]), {"text": "hi"}).status_code == 404
        assert "Tuesday consultation" not in client.get(reverse("peers:index")).content.decode()
    assert not Reply.objects.exists()
    with pytest.raises(NotYours):
        services.post(group, by=eve, text="Let me in")


def test_leaving_takes_ones_posts_and_replies_out(client, ana, ben, dee, group):
    mine = services.post(group, by=ben, text="The first case.")
    services.reply(mine, by=ana, text="A reply to the first.")
    theirs = services.post(group, by=ana, text="The second case.")
    services.reply(theirs, by=ben, text="A reply to the second.")
    client.force_login(ben)
    assert client.post(reverse("peers:leave", args=[group.pk])).status_code == 302
    assert list(Post.objects.values_list("text", flat=True)) == ["The second case."]
    assert not Reply.objects.exists()  # his reply went with him; hers went with his post
    assert client.get(group.get_absolute_url()).status_code == 404
    with pytest.raises(SharingError, match="needs 3 members"):
        services.post(group, by=ana, text="Only two of us now.")


def test_the_flash_messages_cookie_never_carries_a_groups_name(as_ana, ana, ben, dee):
    started = as_ana.post(reverse("peers:index"), {"name": "Grief consultation", "members": [ben.pk, dee.pk]})
    assert started.status_code == 302
    assert "Grief consultation" not in messages_cookie_text(started)
    assert "Your group is ready." in messages_cookie_text(started)
    left = as_ana.post(reverse("peers:leave", args=[Group.objects.get().pk]))
    assert left.status_code == 302 and not Member.objects.filter(user=ana).exists()
    assert "Grief consultation" not in messages_cookie_text(left) and "You left the group" in messages_cookie_text(left)


def test_a_group_stops_at_eight(ana, ben, dee, north):
    extra = [make_user(f"peer{n}", practice=north) for n in range(6)]
    group = services.create_group(ana, "Big", [ben, dee, *extra[:5]])
    assert group.members.count() == 8
    with pytest.raises(SharingError, match="at most 8"):
        services.add_member(group, by=ana, user=extra[5])
