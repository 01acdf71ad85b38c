"""Sending the digests that are due, each at most once, and the person's own choices.

How a digest goes out exactly once, even with two workers and a cron job running at the same moment
(docs/reminders.md, "Once a day, never twice"):

1. Claim. In a short transaction of its own, insert the Digest row (person, local date, kind) with status
   "sending". The unique constraint lets one process win; every other gets an IntegrityError and moves on.
2. Send, outside any transaction: an SMTP conversation can take seconds, and SQLite has one write lock.
3. Record the outcome in one UPDATE: "sent"; "empty" when every count was zero (nothing is e-mailed);
   "failed" with the error when composing or the mail backend raised.

A failed digest is claimed again by a conditional UPDATE from "failed" to "sending" (one process wins it),
after RETRY_AFTER and at most MAX_ATTEMPTS times, and only on its own day: the next day's digest has fresh
counts. A digest still "sending" after its process stopped (killed between the send and the record) is
never sent again: the mail may have gone, and a second copy is worse than a missing one. So delivery is at
most once, and `reciprocity remind` says when one was left in doubt.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from reciprocity.practice.models import User
from reciprocity.reminders import contents
from reciprocity.reminders.models import Digest, Kind, ReminderSettings, Status
from reciprocity.reminders.schedule import due_day

logger = logging.getLogger(__name__)

RETRY_AFTER = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 4
LEFT_IN_DOUBT_AFTER = datetime.timedelta(minutes=10)  # "sending" for longer: its process stopped mid-send


@dataclass
class Report:
    """What one run did: outcomes by (kind, status), and digests left in doubt by a stopped process."""

    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    in_doubt: int = 0
    has_no_site_url: bool = False

    def lines(self) -> list[str]:
        if self.has_no_site_url:
            return ["SITE_URL is not set, and a digest's links need it: no digest was sent (docs/reminders.md)."]
        said = [f"{Kind(kind).label}: {n} {Status(status).label.lower()}" for (kind, status), n in
                sorted(self.outcomes.items())]  # fmt: skip
        if self.in_doubt:
            said.append(f"{self.in_doubt} digest(s) stopped while being sent; they are not sent again.")
        return said or ["No digest was due."]


def candidates() -> QuerySet[ReminderSettings]:
    """Everyone who asked for a digest and can receive one: active, with an e-mail address."""
    wanted = Q(wants_daily=True) | Q(wants_supervision=True)
    return ReminderSettings.objects.filter(wanted, user__is_active=True).exclude(user__email="") \
        .select_related("user")  # fmt: skip


def send_due_digests(now: datetime.datetime | None = None) -> Report:
    """Claim, send and record every digest due at `now` (default: this moment); safe to run in many processes."""
    now = now or timezone.now()
    if not settings.SITE_URL:
        return Report(has_no_site_url=True)
    report = Report()
    reminders = list(candidates())
    days = {r.user_id: day for r in reminders if (day := due_day(r, now)) is not None}
    settled = set(
        Digest.objects.filter(user_id__in=days, local_date__in=set(days.values()))
        .exclude(status=Status.FAILED)
        .values_list("user_id", "kind", "local_date")
    )  # most runs find everyone settled and claim nothing
    for reminder in reminders:
        day = days.get(reminder.user_id)
        for kind in Kind.values:
            if day is None or not reminder.wants(kind) or (reminder.user_id, kind, day) in settled:
                continue
            digest = claim(reminder, kind, day, now)
            if digest is not None:
                report.outcomes[kind, deliver(digest, now)] += 1
    report.in_doubt = in_doubt(now).count()
    return report


def in_doubt(now: datetime.datetime) -> QuerySet[Digest]:
    """Digests of the last two days still "sending" long after their claim: their process stopped mid-send."""
    stuck = Digest.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEFT_IN_DOUBT_AFTER)
    return stuck.filter(claimed_at__gte=now - datetime.timedelta(days=2))


def claim(reminder: ReminderSettings, kind: str, day: datetime.date, now: datetime.datetime) -> Digest | None:
    """Take the digest of `kind` for the person's `day`, or None when another run has it (or it is settled)."""
    person = reminder.user
    try:
        with transaction.atomic():
            window = _window(reminder, now) if kind == Kind.SUPERVISION else (None, None)
            return Digest.objects.create(user=person, kind=kind, local_date=day, claimed_at=now,
                                         covers_from=window[0], covers_until=window[1])  # fmt: skip
    except IntegrityError:
        pass  # claimed already: by another run now, or earlier today
    again = Digest.objects.filter(user=person, kind=kind, local_date=day, status=Status.FAILED,
                                  attempts__lt=MAX_ATTEMPTS, claimed_at__lte=now - RETRY_AFTER)  # fmt: skip
    if again.update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now) != 1:
        return None
    return Digest.objects.select_related("user").get(user=person, kind=kind, local_date=day)


def _window(reminder: ReminderSettings, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """What the next supervision digest covers: from the end of the last one that went out (or might have,
    or had nothing to say) to now, so each share and comment is counted in one digest only."""
    covered = Digest.objects.filter(user=reminder.user, kind=Kind.SUPERVISION).exclude(status=Status.FAILED)
    starts = [covered.aggregate(until=Max("covers_until"))["until"], reminder.supervision_since]
    since = max((start for start in starts if start is not None), default=now)  # off and on again: from "on"
    return min(since, now), now


def deliver(digest: Digest, now: datetime.datetime) -> str:
    """Compose and send a claimed digest outside any transaction, then record and return its status."""
    try:
        lines = contents.lines_for(digest, now)
        counts = {line.key: line.count for line in lines}
        if not any(counts.values()):
            return _record(digest, Status.EMPTY, counts=counts)
        contents.message(digest, lines).send()
    except Exception as error:  # the mail server refused or was not reached, or composing failed: try again later
        logger.warning("The %s digest %s was not sent: %s", digest.kind, digest.pk, error.__class__.__name__)
        return _record(digest, Status.FAILED, error=f"{error.__class__.__name__}: {error}"[:200])
    return _record(digest, Status.SENT, counts=counts, sent_at=timezone.now())


def _record(digest: Digest, status: str, **fields: object) -> str:
    Digest.objects.filter(pk=digest.pk, status=Status.SENDING).update(status=status, **fields)
    return status


def settings_of(person: User) -> ReminderSettings:
    """The person's reminder settings, or the defaults (nothing sent) when they never chose any."""
    return ReminderSettings.objects.filter(user=person).first() or ReminderSettings(user=person)


@transaction.atomic
def choose(
    person: User, *, wants_daily: bool, wants_supervision: bool, send_at: datetime.time, quiet_days: list[int]
) -> ReminderSettings:
    """Save the person's reminder choices; turning the supervision digest on starts its count from now."""
    reminder, _ = ReminderSettings.objects.select_for_update().get_or_create(user=person)
    if wants_supervision and not reminder.wants_supervision:
        reminder.supervision_since = timezone.now()
    reminder.wants_daily, reminder.wants_supervision = wants_daily, wants_supervision
    reminder.send_at, reminder.quiet_days = send_at, sorted(set(quiet_days))
    reminder.save()
    return reminder


def unsubscribe(person_id: int, kind: str) -> None:
    """Turn one kind of digest off for a person (from the link in the e-mail; nothing happens if it is off)."""
    field_name = "wants_daily" if kind == Kind.DAILY else "wants_supervision"
    ReminderSettings.objects.filter(user_id=person_id).update(**{field_name: False})
