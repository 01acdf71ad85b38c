"""Two-factor sign-in: TOTP (RFC 6238: 30-second steps, 6 digits, SHA-1) and single-use recovery codes.

The authenticator's secret is stored encrypted (reciprocity.vault); recovery codes only as SHA-256
hashes, since each is ten random characters and shown once. API access tokens are not touched by
any of this: a token is its own second factor, made by a signed-in person and revocable.
"""

import functools
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
import segno
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from reciprocity.practice.models import Membership, RecoveryCode, Role, TwoFactor, User

ISSUER = "Reciprocity"
RECOVERY_CODES = 10
STEP = 30
# Codes from the step before and after are accepted too: a phone clock a little off still works.
DRIFT_STEPS = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


# Session keys. VERIFIED is set only after a code was checked (sign-in) or confirmed (enrolment);
# PENDING holds who passed the password step and waits for their code, not yet signed in.
VERIFIED = "two_factor_verified"
PENDING = "two_factor_pending"
PENDING_SECONDS = 300


class TwoFactorError(Exception):
    """A two-factor action that cannot be done; the message is for the person."""


def _required_memberships() -> "QuerySet[Membership]":
    others = Membership.objects.filter(practice=OuterRef("practice")).exclude(user=OuterRef("user"))
    return Membership.objects.filter(role__in=[Role.SUPERVISOR, Role.DIRECTOR]).filter(Exists(others))


@dataclass(frozen=True)
class Requirement:
    """Another reason than a role for someone to need two-factor sign-in, kept by an app above this one (which
    imports none of them): the same question as a condition of the standing query and as a function."""

    sql: Callable[[Callable[[str], str]], str]  # given the database's quote_name: a condition on one parameter,
    # the user's id, naming only our own tables and columns (every value a parameter)
    applies: Callable[[User], bool]


_requirements: list[Requirement] = []


def require_also(requirement: Requirement) -> None:
    """Add a requirement (from an app's `ready`), before the first request asks the standing."""
    _requirements.append(requirement)
    _standing_sql.cache_clear()


def is_required(user: User) -> bool:
    """Supervisors and directors in a practice of more than one person must use two-factor sign-in, and so must
    anyone another app's requirement names (such as whoever supervises a colleague: sharing/apps.py)."""
    return _required_memberships().filter(user=user).exists() or any(r.applies(user) for r in _requirements)


def is_enabled(user: User) -> bool:
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def standing(user: User) -> tuple[bool, bool]:
    """(is_required, is_enabled) for the user, in one query: the middleware asks on every unverified request.

    The query is written out rather than built by the ORM, whose building cost 1.3 ms a request, a hundred
    times the query's own run; tests hold it to `is_required` and `is_enabled`."""
    also = [user.pk] * len(_requirements)
    with connection.cursor() as cursor:
        cursor.execute(
            _standing_sql(connection.vendor), [user.pk, Role.SUPERVISOR.value, Role.DIRECTOR.value, *also, user.pk]
        )
        required, enabled = cursor.fetchone()
    return bool(required), bool(enabled)


@functools.cache
def _standing_sql(vendor: str) -> str:
    """The standing query for one database vendor: table and column names from the models, values as parameters."""

    def column(model: type, field: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(field).column)

    memberships, devices = (connection.ops.quote_name(m._meta.db_table) for m in (Membership, TwoFactor))
    user, practice, role = column(Membership, "user"), column(Membership, "practice"), column(Membership, "role")
    also = "".join(f" OR ({requirement.sql(connection.ops.quote_name)})" for requirement in _requirements)
    # Our own table and column names; every value is a parameter.
    return (
        f"SELECT (EXISTS(SELECT 1 FROM {memberships} m WHERE m.{user} = %s AND m.{role} IN (%s, %s)"  # noqa: S608
        f" AND EXISTS(SELECT 1 FROM {memberships} o WHERE o.{practice} = m.{practice} AND o.{user} <> m.{user}))"
        f"{also}),"
        f" EXISTS(SELECT 1 FROM {devices} d WHERE d.{column(TwoFactor, 'user')} = %s"
        f" AND d.{column(TwoFactor, 'confirmed_at')} IS NOT NULL)"
    )


@transaction.atomic
def start_enrolment(user: User) -> TwoFactor:
    """A fresh secret waiting to be confirmed with a code (replaces an unconfirmed one); refused if already on."""
    existing = TwoFactor.objects.select_for_update().filter(user=user).first()
    if existing and existing.is_confirmed:
        raise TwoFactorError(gettext("Two-factor sign-in is already on."))
    if existing:
        return existing
    return TwoFactor.objects.create(user=user, secret=pyotp.random_base32())


def provisioning_uri(device: TwoFactor) -> str:
    return pyotp.TOTP(device.secret, interval=STEP).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_svg(device: TwoFactor) -> str:
    """The enrolment QR code as an inline SVG element (no image file, nothing fetched)."""
    svg = segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, dark="#1d2b36", light="#ffffff")
    label = escape(gettext("QR code for your authenticator app"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _matching_step(device: TwoFactor, code: str, now: float) -> int | None:
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(device.secret, interval=STEP)
    current = int(now) // STEP
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _accept_totp(device: TwoFactor, code: str) -> bool:
    """True once per code: the step it belongs to must be later than the last step accepted (no replay)."""
    step = _matching_step(device, code, time.time())
    if step is None or (device.last_step is not None and step <= device.last_step):
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


@transaction.atomic
def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch two-factor on once a code from the app matches; returns the recovery codes, shown once."""
    device = TwoFactor.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise TwoFactorError(gettext("Start setting up two-factor sign-in first."))
    if device.is_confirmed:
        raise TwoFactorError(gettext("Two-factor sign-in is already on."))
    if not _accept_totp(device, code):
        raise TwoFactorError(
            gettext("That code does not match. Check the time on your phone and enter the newest code.")
        )
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    return _new_recovery_codes(user)


@transaction.atomic
def verify(user: User, code: str) -> bool:
    """Check a sign-in code: a current TOTP code or an unused recovery code (which is then used up)."""
    device = TwoFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    if _accept_totp(device, code):
        return True
    used = RecoveryCode.objects.filter(user=user, code_hash=_hash(user, code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return used == 1


@transaction.atomic
def disable(user: User) -> None:
    """Switch two-factor off: the secret and every recovery code are deleted."""
    TwoFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not is_enabled(user):
        raise TwoFactorError(gettext("Turn on two-factor sign-in first."))
    return _new_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).aggregate(n=Count("id"))["n"]


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    # Three groups of four from 31 characters: about 59 bits, too many to guess from a stolen hash.
    codes = [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3)) for _ in range(RECOVERY_CODES)
    ]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash(user, c)) for c in codes])
    return codes


def _hash(user: User, code: str) -> str:
    """SHA-256 of the user's id and the code, ignoring spaces, dashes and case as people type them."""
    normalized = "".join(code.split()).lower().replace("-", "")
    return hashlib.sha256(f"{user.pk}:{normalized}".encode()).hexdigest()
