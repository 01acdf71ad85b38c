"""Peer groups' part of a person's data: memberships, posts and replies; a group they started is handed on."""

from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.peers.models import Group, Member, Post, Reply
from reciprocity.practice.models import User


def peer_groups_table(user: User) -> Table:
    rows = [[m.group_id, m.group.name, m.group.created_by_id == user.pk, when(m.joined_at)]
            for m in Member.objects.filter(user=user).select_related("group").order_by("joined_at", "pk")]  # fmt: skip
    return Table("peer_groups", ["group", "name", "started_by_me", "joined_at"], rows)


def peer_posts_table(user: User) -> Table:
    rows = [["post", p.pk, p.group_id, "", p.text, when(p.created_at)]
            for p in Post.objects.filter(author=user).order_by("created_at", "pk")]  # fmt: skip
    replies = Reply.objects.filter(author=user).select_related("post").order_by("created_at", "pk")
    rows += [["reply", r.pk, r.post.group_id, r.post_id, r.text, when(r.created_at)] for r in replies]
    return Table("peer_posts", ["kind", "id", "group", "reply_to_post", "text", "created_at"], rows)


def counts(user: User) -> list[tuple[str, int]]:
    return [("peer group posts", Post.objects.filter(author=user).count())]


def hand_over_groups(user: User) -> None:
    """A group the person created stays with its other members, led by the longest-standing one."""
    for group in Group.objects.filter(created_by=user):
        heir = Member.objects.filter(group=group).exclude(user=user).order_by("joined_at", "pk").first()
        if heir is not None:
            Group.objects.filter(pk=group.pk).update(created_by=heir.user_id)


PART = Part(
    exported={
        "peers.Member": "peer_groups",
        "peers.Group": "peer_groups",
        "peers.Post": "peer_posts",
        "peers.Reply": "peer_posts",
    },
    tables={"peer_groups": peer_groups_table, "peer_posts": peer_posts_table},
    counts=counts,
    erase_first=hand_over_groups,
)
