import datetime
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.lib.ownership import NotYours
from reciprocity.practice.models import Membership, Practice, User
from reciprocity.sharing import pii
from reciprocity.sharing.models import Comment, Kind, Meeting, Share, Supervision, hash_token
from reciprocity.therapy.models import Reflection

INVITE_DAYS = 14
MAX_TEXT = 10_000


class SharingError(ValueError):
    """A request that cannot be carried out, in words the person can act on."""


class NeedsReview(SharingError):
    """The text holds details that could identify a client and that were neither edited nor confirmed."""

    def __init__(self, findings: list[pii.Finding]) -> None:
        kinds = sorted({str(pii.KIND_LABELS[f.kind]) for f in findings})
        n = len(findings)
        super().__init__(
            ngettext(
                "{n} detail could identify someone ({kinds}): edit it out, or confirm each is not identifying.",
                "{n} details could identify someone ({kinds}): edit them out, or confirm each is not identifying.",
                n,
            ).format(n=n, kinds=", ".join(kinds))
        )
        self.findings = findings


def reviewed(text: str, confirmed: Iterable[str]) -> tuple[str, list[str]]:
    """Text that may be shared: not empty, not too long, and every PII finding edited out or confirmed.

    Returns the trimmed text and the confirmations that still apply to it; NeedsReview otherwise.
    """
    text = text.strip()
    if not text:
        raise SharingError(gettext("Write what you want to share first."))
    if len(text) > MAX_TEXT:
        raise SharingError(gettext("Keep what you share under {limit} characters.").format(limit=_limit()))
    return text, guarded(text, confirmed)


def _limit() -> str:
    """MAX_TEXT as a person reads a number in their language (10,000 or 10.000)."""
    return number_format(MAX_TEXT, force_grouping=True)


def guarded(text: str, confirmed: Iterable[str]) -> list[str]:
    """The confirmations that apply to a text, once every PII finding in it is edited out or confirmed.

    Raises NeedsReview with the findings that are neither; an empty text passes.
    """
    findings = pii.find_pii(text)
    confirmed = set(confirmed)
    if remaining := [f for f in findings if f.key not in confirmed]:
        raise NeedsReview(remaining)
    return sorted({f.key for f in findings})


def shared_practice(a: User, b: User) -> Practice | None:
    practices = set(Membership.objects.filter(user=a).values_list("practice_id", flat=True))
    common = Membership.objects.filter(user=b, practice_id__in=practices).select_related("practice").first()
    return common.practice if common else None


def _own_practice(user: User) -> Practice:
    membership = Membership.objects.filter(user=user).select_related("practice").first()
    if membership is None:
        raise SharingError(gettext("You are not a member of a practice, so there is no one to invite."))
    return membership.practice


@transaction.atomic
def invite(therapist: User, supervisor: User) -> Supervision:
    """Ask a member of one's practice to supervise; they accept or decline."""
    if supervisor.pk == therapist.pk:
        raise SharingError(gettext("You cannot be your own supervisor: choose someone else in your practice."))
    practice = shared_practice(therapist, supervisor)
    if practice is None:
        raise SharingError(gettext("You can only invite a member of your own practice."))
    if Supervision.objects.filter(therapist=therapist, supervisor=supervisor, ended_at__isnull=True).exists():
        raise SharingError(
            gettext("{name} is already your supervisor, or has your invitation.").format(name=supervisor.display_name)
        )
    return Supervision.objects.create(therapist=therapist, supervisor=supervisor, practice=practice)


@transaction.atomic
def invite_by_link(therapist: User) -> tuple[Supervision, str]:
    """An invitation anyone in the practice can accept by opening the link (once, within INVITE_DAYS)."""
    token = secrets.token_urlsafe(24)
    supervision = Supervision.objects.create(
        therapist=therapist, practice=_own_practice(therapist), invite_hash=hash_token(token),
        invite_expires_at=timezone.now() + datetime.timedelta(days=INVITE_DAYS),
    )  # fmt: skip
    return supervision, token


def pending_by_token(token: str) -> Supervision | None:
    return (
        Supervision.objects.pending()
        .filter(invite_hash=hash_token(token), invite_expires_at__gt=timezone.now(), supervisor__isnull=True)
        .first()
    )


@transaction.atomic
def accept(supervision: Supervision, user: User) -> Supervision:
    if not supervision.is_pending:
        raise SharingError(gettext("This invitation is no longer open."))
    if user.pk == supervision.therapist_id:
        raise SharingError(gettext("This is your own invitation: send the link to your supervisor."))
    if supervision.supervisor_id not in (None, user.pk):
        raise NotYours("This invitation is for someone else.")
    if shared_practice(user, supervision.therapist) is None:
        raise SharingError(
            gettext("This invitation is for members of {practice}.").format(practice=supervision.practice.name)
        )
    supervision.supervisor, supervision.accepted_at, supervision.invite_hash = user, timezone.now(), ""
    try:
        with transaction.atomic():
            supervision.save()
    except IntegrityError:
        raise SharingError(gettext("You already supervise this therapist.")) from None
    return supervision


@transaction.atomic
def end(supervision: Supervision, by: User) -> Supervision:
    """Either side ends it; nothing shared is visible afterwards."""
    if by.pk not in (supervision.therapist_id, supervision.supervisor_id):
        raise NotYours("Only the two people in a supervision can end it.")
    supervision.ended_at = timezone.now()
    supervision.save(update_fields=["ended_at"])
    supervision.shares.filter(revoked_at__isnull=True).update(revoked_at=supervision.ended_at)
    return supervision


def _require_therapist(supervision: Supervision, user: User) -> None:
    if supervision.therapist_id != user.pk:
        raise NotYours("Only the therapist decides what is shared.")
    if not supervision.is_active:
        raise SharingError(gettext("This supervision is not active: the supervisor has not accepted, or it has ended."))


@transaction.atomic
def share_reflection(
    supervision: Supervision, reflection: Reflection, *, by: User, text: str, confirmed: Iterable[str] = ()
) -> Share:
    """Share a reflection's words, once every detail that could identify a client is edited out or confirmed."""
    _require_therapist(supervision, by)
    if reflection.author_id != by.pk:
        raise NotYours("You can only share your own reflections.")
    text, kept = reviewed(text, confirmed)
    if supervision.shares.filter(reflection=reflection, revoked_at__isnull=True).exists():
        raise SharingError(gettext("This reflection is already shared with this supervisor."))
    return Share.objects.create(supervision=supervision, kind=Kind.REFLECTION, reflection=reflection, text=text,
                                confirmed=kept)  # fmt: skip


@transaction.atomic
def set_consent(supervision: Supervision, kind: str, *, by: User, on: bool) -> Share | None:
    """Turn sharing of the well-being trend or the flywheel summary on or off."""
    if kind not in (Kind.WELLBEING, Kind.FLYWHEEL):
        raise SharingError(gettext("Choose the well-being trend or the flywheel summary."))
    if not on:
        if supervision.therapist_id != by.pk:
            raise NotYours("Only the therapist decides what is shared.")
        supervision.shares.filter(kind=kind, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return None
    _require_therapist(supervision, by)
    current = supervision.shares.filter(kind=kind, revoked_at__isnull=True).first()
    return current or Share.objects.create(supervision=supervision, kind=kind)


@transaction.atomic
def revoke(share: Share, *, by: User) -> Share:
    if share.supervision.therapist_id != by.pk:
        raise NotYours("Only the therapist who shared it can take it back.")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def _require_party(share: Share, user: User) -> None:
    supervision = share.supervision
    if user.pk not in (supervision.therapist_id, supervision.supervisor_id):
        raise NotYours("Only the therapist and their supervisor can comment here.")
    if share.revoked_at is not None or not supervision.is_active:
        raise SharingError(gettext("This is no longer shared."))


@transaction.atomic
def comment(
    share: Share, *, by: User, text: str, parent: Comment | None = None, confirmed: Iterable[str] = ()
) -> Comment:
    """A comment or reply on a shared item, from either side: it passes the PII guard as shared text does."""
    _require_party(share, by)
    text = text.strip()
    if not text:
        raise SharingError(gettext("Write a comment first."))
    if len(text) > MAX_TEXT:
        raise SharingError(gettext("Keep a comment under {limit} characters.").format(limit=_limit()))
    if parent is not None and parent.share_id != share.pk:
        raise SharingError(gettext("You can only reply to a comment on the same item."))
    kept = guarded(text, confirmed)
    return Comment.objects.create(share=share, author=by, parent=parent, text=text, confirmed=kept)


@transaction.atomic
def record_meeting(
    supervision: Supervision,
    *,
    by: User,
    held_on: datetime.date,
    agenda: Iterable[Share],
    notes: str,
    confirmed: Iterable[str] = (),
) -> Meeting:
    """A meeting's agenda and notes; the notes pass the PII guard, since both people read them."""
    if by.pk not in (supervision.therapist_id, supervision.supervisor_id):
        raise NotYours("Only the two people in a supervision can record its meetings.")
    if not supervision.is_active:
        raise SharingError(gettext("This supervision is not active."))
    agenda = list(agenda)
    if any(s.supervision_id != supervision.pk or s.revoked_at for s in agenda):
        raise SharingError(gettext("The agenda can only hold items shared in this supervision."))
    notes = notes.strip()
    kept = guarded(notes, confirmed)
    meeting = Meeting.objects.create(
        supervision=supervision, held_on=held_on, notes=notes, confirmed=kept, created_by=by
    )
    meeting.agenda.set(agenda)
    return meeting


def record_view(
    supervision: Supervision, viewer: User, what: str, share: Share | None = None, request: HttpRequest | None = None
) -> None:
    """A supervisor read something of the therapist's: it goes to the therapist's record of access to their data."""
    if viewer.pk != supervision.therapist_id:
        record(Action.READ, what, subject=supervision.therapist_id, actor=viewer, request=request,
               obj=share or supervision)  # fmt: skip


def record_change(
    supervision: Supervision, author: User, what: str, obj: models.Model, request: HttpRequest | None = None
) -> None:
    """A supervisor wrote on the therapist's shared things (a comment, meeting notes): the therapist sees it."""
    if author.pk != supervision.therapist_id:
        record(Action.CHANGE, what, subject=supervision.therapist_id, actor=author, request=request, obj=obj)
