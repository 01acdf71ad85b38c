import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from reciprocity.audit.models import Event
from reciprocity.practice.models import Membership, User
from reciprocity.sharing.models import Comment, Meeting, Share, Supervision


def supervision_of(user: User, pk: int) -> Supervision:
    """A supervision the user is the therapist of (any state), or the supervisor of (while it is active)."""
    return get_object_or_404(
        Supervision.objects.select_related("therapist", "supervisor", "practice"),
        Q(therapist=user) | Q(supervisor=user, accepted_at__isnull=False, ended_at__isnull=True),
        pk=pk,
    )


def invitation_for(user: User, pk: int) -> Supervision:
    """A pending invitation addressed to this user."""
    return get_object_or_404(Supervision.objects.pending(), supervisor=user, pk=pk)


def share_for(user: User, pk: int) -> Share:
    """A share the user made, or one shared with them that is still live; anything else is 404."""
    share = get_object_or_404(Share.objects.select_related("supervision__therapist", "supervision__supervisor",
                                                           "reflection__session__client"), pk=pk)  # fmt: skip
    supervision = share.supervision
    if supervision.therapist_id == user.pk:
        return share
    if supervision.supervisor_id == user.pk and share.revoked_at is None and supervision.is_active:
        return share
    raise Http404("No such shared item.")


def threads(share: Share) -> list[Comment]:
    """Top-level comments, each with its replies prefetched (one level of threading, as in a conversation)."""
    replies = Prefetch("replies", queryset=Comment.objects.select_related("author"))
    return list(share.comments.filter(parent=None).select_related("author").prefetch_related(replies))


def colleagues(user: User) -> list[User]:
    """Other members of the user's practices: whom they may invite."""
    practices = Membership.objects.filter(user=user).values("practice_id")
    return list(User.objects.filter(memberships__practice_id__in=practices).exclude(pk=user.pk).distinct()
                .order_by("first_name", "username"))  # fmt: skip


def accesses(supervision: Supervision, limit: int = 100) -> list[Event]:
    """What the supervisor has read, exported or written of the therapist's data, newest first."""
    if supervision.supervisor_id is None:
        return []
    events = Event.objects.about(supervision.therapist).filter(actor_id=supervision.supervisor_id)
    return list(events.select_related("actor")[:limit])


@dataclass(frozen=True)
class News:
    shares: int  # items newly shared with the supervisor
    comments: int  # comments by others on items shared with them


def news_for_supervisor(user: User, since: datetime.datetime, until: datetime.datetime) -> News:
    """What arrived for a supervisor in [since, until): live shares to them, and others' comments on those."""
    live = Share.objects.live().filter(supervision__supervisor=user)
    return News(
        shares=live.filter(shared_at__gte=since, shared_at__lt=until).count(),
        comments=Comment.objects.filter(share__in=live, created_at__gte=since, created_at__lt=until)
        .exclude(author=user)
        .count(),
    )


def supervises_anyone(user: User) -> bool:
    return Supervision.objects.active().filter(supervisor=user).exists()


def meetings_with_agenda(meetings: "QuerySet[Meeting]", *, live_only: bool) -> "QuerySet[Meeting]":
    """Meetings with the shares on their agenda (and each share's reflection, for its title). `live_only` for
    anyone but the therapist who shared them: a share taken back, or of an ended supervision, leaves the
    agendas too, as it leaves every other page a supervisor reads."""
    agenda = (Share.objects.live() if live_only else Share.objects.all()).select_related("reflection")
    return meetings.prefetch_related(Prefetch("agenda", queryset=agenda))
