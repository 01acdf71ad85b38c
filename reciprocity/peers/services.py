from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from reciprocity.lib.ownership import NotYours
from reciprocity.peers.models import MAX_MEMBERS, MIN_MEMBERS, Group, Member, Post, Reply
from reciprocity.practice.models import Membership, User
from reciprocity.sharing.services import SharingError, reviewed


def _practice_of(user: User) -> int:
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        raise SharingError(gettext("You are not a member of a practice."))
    return membership.practice_id


@transaction.atomic
def create_group(creator: User, name: str, members: Iterable[User]) -> Group:
    """A group of the creator and 2–7 colleagues of the same practice."""
    name = " ".join(name.split())
    if not name:
        raise SharingError(gettext("Give the group a name."))
    practice = _practice_of(creator)
    others = {m.pk: m for m in members if m.pk != creator.pk}
    if not MIN_MEMBERS <= len(others) + 1 <= MAX_MEMBERS:
        raise SharingError(
            gettext("A group has {low} to {high} members, you included: choose {fewest} to {most} colleagues.").format(
                low=MIN_MEMBERS, high=MAX_MEMBERS, fewest=MIN_MEMBERS - 1, most=MAX_MEMBERS - 1
            )
        )
    outside = [u for u in others.values() if not Membership.objects.filter(user=u, practice_id=practice).exists()]
    if outside:
        raise SharingError(gettext("Everyone in a group must be a member of your practice."))
    group = Group.objects.create(name=name[:120], practice_id=practice, created_by=creator)
    Member.objects.bulk_create([Member(group=group, user=u) for u in [creator, *others.values()]])
    return group


def is_member(group: Group, user: User) -> bool:
    return group.members.filter(user=user).exists()


@transaction.atomic
def post(group: Group, *, by: User, text: str, confirmed: Iterable[str] = ()) -> Post:
    """A de-identified case reflection: refused until every identifying detail is edited out or confirmed."""
    if not is_member(group, by):
        raise NotYours("Only members post in a group.")
    if group.members.count() < MIN_MEMBERS:
        raise SharingError(
            gettext("A group needs {n} members before cases are posted; invite someone first.").format(n=MIN_MEMBERS)
        )
    text, kept = reviewed(text, confirmed)
    return Post.objects.create(group=group, author=by, text=text, confirmed=kept)


@transaction.atomic
def reply(post_: Post, *, by: User, text: str, confirmed: Iterable[str] = ()) -> Reply:
    if not is_member(post_.group, by):
        raise NotYours("Only members reply in a group.")
    text, kept = reviewed(text, confirmed)
    return Reply.objects.create(post=post_, author=by, text=text, confirmed=kept)


@transaction.atomic
def add_member(group: Group, *, by: User, user: User) -> Member:
    if not is_member(group, by):
        raise NotYours("Only members can invite to a group.")
    if not Membership.objects.filter(user=user, practice_id=group.practice_id).exists():
        raise SharingError(gettext("Only members of your practice can join."))
    if is_member(group, user):
        raise SharingError(gettext("{name} is already in the group.").format(name=user.display_name))
    if group.members.count() >= MAX_MEMBERS:
        raise SharingError(gettext("A group has at most {n} members.").format(n=MAX_MEMBERS))
    return Member.objects.create(group=group, user=user)


@transaction.atomic
def leave(group: Group, *, user: User) -> int:
    """Leave the group and take one's posts and replies out of it. Returns how many were removed."""
    if not is_member(group, user):
        raise NotYours("You are not in this group.")
    removed = Post.objects.filter(group=group, author=user).delete()[0]
    removed += Reply.objects.filter(post__group=group, author=user).delete()[0]
    group.members.filter(user=user).delete()
    if not group.members.exists():
        group.delete()
    return removed
