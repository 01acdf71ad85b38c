import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.dates import known_time_zones
from reciprocity.vault.fields import EncryptedTextField


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            gettext("“{value}” is not a time zone we know. Use a name such as Europe/Berlin.").format(value=value)
        )


def default_time_zone() -> str:
    """New users start in the deployment's TIME_ZONE setting; each then chooses their own."""
    return settings.TIME_ZONE


class Language(models.TextChoices):
    BROWSER = "", _("As my browser asks")
    ENGLISH = "en-gb", "English"
    SPANISH = "es", "Español"
    GERMAN = "de", "Deutsch"


class User(AbstractUser):
    """A person who signs in: a therapist, a supervisor or a director (roles live on memberships)."""

    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    # "" follows the browser's Accept-Language; otherwise one of settings.LANGUAGES (docs/languages.md).
    # db_default: rows written by code that predates the column (an older release, a migration test) get "".
    language = models.CharField(max_length=8, blank=True, default="", db_default="", choices=Language.choices)
    # The therapist's own boundary: more session hours than this in a week raises an alert.
    weekly_hours_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, default=30, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # Consent to appear by name in the practice view (the director sees only aggregates otherwise).
    shows_in_practice_view = models.BooleanField(default=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class Practice(models.Model):
    """A clinic or a solo practice: the boundary of who may ever be shown what."""

    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    THERAPIST = "therapist", _("Therapist")
    SUPERVISOR = "supervisor", _("Supervisor")
    DIRECTOR = "director", _("Director")


class Membership(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.THERAPIST)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "user", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_known_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.practice}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class AccessTokenQuerySet(models.QuerySet):
    def owned_by(self, user: "User") -> "AccessTokenQuerySet":
        return self.filter(user=user)


class AccessToken(models.Model):
    """A personal access token for the API. Only a SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)  # the first characters, to recognise a token in a list
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(scope__in=TokenScope.values), name="token_known_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class SignInThrottle(models.Model):
    """Failed sign-ins counted per account name or per client address, shared by every server process.

    After `limit` failures inside the window the key is locked; each lock in a row lasts twice as long as
    the one before (see reciprocity/practice/throttle.py for the numbers).
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Address"
        RESET = "reset", "Password reset requests from an address"

    kind = models.CharField(max_length=7, choices=Kind.choices)
    key = models.CharField(max_length=150)  # a lower-cased user name (existing or not) or an IP address
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locks = models.PositiveSmallIntegerField(default=0)  # locks in a row; reset a day after the last one
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["kind", "key"], name="sign_in_throttle_unique_key"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["account", "address", "reset"]), name="sign_in_throttle_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.failures} failures"


class FailedSignIn(models.Model):
    """One refused sign-in, kept so the account's owner can see recent attempts on their settings page."""

    class Reason(models.TextChoices):
        PASSWORD = "password", _("Wrong password")
        CODE = "code", _("Wrong two-factor code")
        LOCKED = "locked", _("Refused: too many attempts")

    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="failed_sign_ins")
    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=8, choices=Reason.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user", "-at"], name="failed_sign_in_user_at")]

    def __str__(self) -> str:
        return f"{self.username} at {self.at:%Y-%m-%d %H:%M}: {self.get_reason_display()}"


class TwoFactor(models.Model):
    """A user's TOTP authenticator (RFC 6238, 30 s, 6 digits); it protects sign-in once confirmed."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    # Base32 secret, encrypted at rest with the vault's key (so a copied database cannot mint codes).
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second step whose code was accepted: a code is good once, never replayed in its step.
    last_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Two-factor for {self.user} ({'on' if self.is_confirmed else 'being set up'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for signing in without the authenticator; only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"
