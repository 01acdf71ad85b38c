"""Back-off after failed sign-ins, per account name and per client address, kept in the database.

Five failures on one account name within 15 minutes, or twenty from one address, lock that name or
address: for 15 minutes the first time, then twice as long each time it happens again (capped at a
day); a day without a lock forgets the history. A successful sign-in clears the account's counter but
not the address's, so one valid account cannot be used to keep guessing at others. The same answer
is given whether or not the account exists. The counters live in rows (not process memory), so every
server process sees the same numbers; rows are locked while they change.
"""

import dataclasses
import datetime
import ipaddress
import math

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from reciprocity.practice.models import FailedSignIn, SignInThrottle, User

WINDOW = datetime.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
FIRST_LOCK = datetime.timedelta(minutes=15)
LONGEST_LOCK = datetime.timedelta(days=1)
FORGET_AFTER = datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Sign-in is refused until `until`; `minutes` is what the person is told (rounded up)."""

    until: datetime.datetime

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Too many failed sign-ins; try again in {minutes} minute.",
            "Too many failed sign-ins; try again in {minutes} minutes.",
            self.minutes,
        ).format(minutes=self.minutes)


def account_key(username: str) -> str:
    return username.strip().lower()[:150]


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address they forwarded."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def refusal(username: str, address: str | None) -> Refusal | None:
    """Whether this account name or this address is locked right now (the longer lock wins)."""
    now = timezone.now()
    keys = [(SignInThrottle.Kind.ACCOUNT, account_key(username))]
    if address:
        keys.append((SignInThrottle.Kind.ADDRESS, address))
    until = [
        row.locked_until
        for kind, key in keys
        for row in SignInThrottle.objects.filter(kind=kind, key=key, locked_until__gt=now)
    ]
    return Refusal(max(until)) if until else None


@transaction.atomic
def record_failure(
    username: str, address: str | None, *, reason: str = FailedSignIn.Reason.PASSWORD, user: User | None = None
) -> Refusal | None:
    """Count a failed attempt against the account name and the address; returns the lock it caused, if any."""
    now = timezone.now()
    user = user or User.objects.filter(username__iexact=account_key(username)).first()
    FailedSignIn.objects.create(user=user, username=username[:150], address=address, reason=reason, at=now)
    _forget_old(now)
    if reason == FailedSignIn.Reason.LOCKED:
        return None  # an attempt refused unread does not lengthen the lock
    locks = [_count(SignInThrottle.Kind.ACCOUNT, account_key(username), ACCOUNT_LIMIT, now)]
    if address:
        locks.append(_count(SignInThrottle.Kind.ADDRESS, address, ADDRESS_LIMIT, now))
    until = [lock for lock in locks if lock is not None]
    return Refusal(max(until)) if until else None


def _count(kind: str, key: str, limit: int, now: datetime.datetime) -> datetime.datetime | None:
    SignInThrottle.objects.get_or_create(kind=kind, key=key, defaults={"window_started_at": now})
    row = SignInThrottle.objects.select_for_update().get(kind=kind, key=key)
    if row.locked_until and now - row.locked_until > FORGET_AFTER:
        row.locks = 0
    if now - row.window_started_at > WINDOW:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= limit:
        row.locks += 1
        row.locked_until = now + min(FIRST_LOCK * 2 ** (row.locks - 1), LONGEST_LOCK)
        row.failures, row.window_started_at = 0, now
    row.save()
    return row.locked_until if row.locked_until and row.locked_until > now else None


RESET_LIMIT = 5  # password-reset requests per address in the window, so nobody floods an inbox


def reset_refusal(address: str | None) -> Refusal | None:
    """Whether this address has asked for too many password-reset e-mails just now."""
    if not address:
        return None
    row = SignInThrottle.objects.filter(kind=SignInThrottle.Kind.RESET, key=address).first()
    return Refusal(row.locked_until) if row and row.locked_until and row.locked_until > timezone.now() else None


@transaction.atomic
def record_reset_request(address: str | None) -> None:
    if address:
        _count(SignInThrottle.Kind.RESET, address, RESET_LIMIT, timezone.now())


KEEP_FAILED_SIGN_INS = datetime.timedelta(days=90)


def _forget_old(now: datetime.datetime) -> None:
    """Drop failed sign-ins older than 90 days and counters that no longer hold anything back."""
    FailedSignIn.objects.filter(at__lt=now - KEEP_FAILED_SIGN_INS).delete()
    SignInThrottle.objects.filter(window_started_at__lt=now - FORGET_AFTER).exclude(
        locked_until__gte=now - FORGET_AFTER
    ).delete()


def clear_account(username: str) -> None:
    """A successful sign-in (or a completed password reset) forgets the account name's failures and locks."""
    SignInThrottle.objects.filter(kind=SignInThrottle.Kind.ACCOUNT, key=account_key(username)).delete()


def recent_failures(user: User, *, days: int = 30, limit: int = 20) -> list[FailedSignIn]:
    """The account's failed sign-ins of the last `days` days, newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(FailedSignIn.objects.filter(user=user, at__gte=since)[:limit])
