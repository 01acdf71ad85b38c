from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.languages import choice_label
from reciprocity.lib.vocabulary import Term
from reciprocity.therapy.dimensions import KEYS, RATING_MAX, RATING_MIN
from reciprocity.vault.fields import EncryptedTextField


class Technique(Term):
    """A therapeutic technique or approach, from the therapist's own editable list."""

    DEFAULTS = (
        "CBT", "EMDR", "DBT", "psychodynamic", "ACT", "schema therapy", "person-centred", "systemic",
        "mindfulness", "compassion-focused", "exposure", "motivational interviewing", "psychoeducation",
    )  # fmt: skip

    class Meta(Term.Meta):
        pass


class Format(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COUPLE = "couple", _("Couple")
    FAMILY = "family", _("Family")
    GROUP = "group", _("Group")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class Occasion(models.TextChoices):
    SESSION = "session", _("A session")
    SUPERVISION = "supervision", _("Supervision or consultation")
    TRAINING = "training", _("A training or reading")
    HARD_DAY = "hard_day", _("A hard day")
    OTHER = "other", _("Something else")


def _between(field: str, low: int, high: int) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}) | models.Q(**{f"{field}__isnull": True}),
        name=f"%(app_label)s_%(class)s_{field}_range",
    )


class SessionQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(client__therapist=therapist)

    def unreflected(self) -> Self:
        return self.filter(reflection__isnull=True)

    def for_listing(self) -> Self:
        """With the client, whether there is a reflection, and the techniques; a listing never shows the
        reflection's words, so they are not read (nor decrypted)."""
        return (
            self.select_related("client", "reflection")
            .defer("reflection__gave_me", "reflection__carry_home")
            .prefetch_related("techniques")
        )


class Session(models.Model):
    """One therapy session with one client; times are stored in UTC."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.INDIVIDUAL)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    techniques = models.ManyToManyField(Technique, blank=True, related_name="sessions")
    emotional_load = models.PositiveSmallIntegerField(null=True, blank=True)
    worked_with_trauma = models.BooleanField(default=False)
    arrival_calm = models.PositiveSmallIntegerField(null=True, blank=True)
    arrival_tiredness = models.PositiveSmallIntegerField(null=True, blank=True)
    # The id the browser gave this form when it was filled (see docs/offline.md): a form sent twice, as a
    # draft written offline may be, makes one session.
    submission_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-starts_at"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["client", "starts_at"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            _between("duration_minutes", 5, 480),
            _between("emotional_load", 0, 10),
            _between("arrival_calm", 0, 10),
            _between("arrival_tiredness", 0, 10),
            models.CheckConstraint(condition=models.Q(format__in=Format.values), name="session_known_format"),
            models.CheckConstraint(condition=models.Q(mode__in=Mode.values), name="session_known_mode"),
            models.UniqueConstraint(fields=["client", "submission_id"], name="session_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.client.code} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("therapy:session-detail", args=[self.pk])

    def get_format_display(self) -> str:
        return choice_label(Format, self.format)

    def get_mode_display(self) -> str:
        return choice_label(Mode, self.mode)

    @property
    def has_reflection(self) -> bool:
        return hasattr(self, "reflection")

    @property
    def is_upcoming(self) -> bool:
        return self.starts_at > timezone.now()

    @property
    def is_heavy(self) -> bool:
        return self.emotional_load is not None and self.emotional_load >= 7


class ReflectionQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(author=therapist)


class Reflection(models.Model):
    """What a session (or a supervision, a training, a hard day) gave the therapist, on seven dimensions."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    session = models.OneToOneField(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="reflection")
    occasion = models.CharField(max_length=12, choices=Occasion.choices, default=Occasion.SESSION)
    occurred_at = models.DateTimeField(default=timezone.now)
    empathy = models.PositiveSmallIntegerField()
    communication = models.PositiveSmallIntegerField()
    reflection = models.PositiveSmallIntegerField()
    fulfillment = models.PositiveSmallIntegerField()
    resilience = models.PositiveSmallIntegerField()
    destigmatizing = models.PositiveSmallIntegerField()
    boundaries = models.PositiveSmallIntegerField()
    gave_me = EncryptedTextField(blank=True)
    carry_home = EncryptedTextField(blank=True)
    mood_before = models.PositiveSmallIntegerField(null=True, blank=True)
    mood_after = models.PositiveSmallIntegerField(null=True, blank=True)
    submission_id = models.UUIDField(null=True, blank=True, editable=False)  # as on Session: sent twice, saved once
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-occurred_at"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["author", "occurred_at"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            *(_between(key, RATING_MIN, RATING_MAX) for key in KEYS),
            _between("mood_before", 1, 10),
            _between("mood_after", 1, 10),
            models.CheckConstraint(condition=models.Q(occasion__in=Occasion.values), name="reflection_known_occasion"),
            # A reflection on a session says so; a free-standing one names its other occasion.
            models.CheckConstraint(
                condition=models.Q(
                    session__isnull=True, occasion__in=[o for o in Occasion.values if o != Occasion.SESSION]
                )
                | models.Q(session__isnull=False, occasion="session"),
                name="reflection_occasion_matches_session",
            ),
            models.UniqueConstraint(fields=["author", "submission_id"], name="reflection_sent_once"),
        ]

    def __str__(self) -> str:
        return f"Reflection of {timezone.localtime(self.occurred_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("therapy:reflection-detail", args=[self.pk])

    def get_occasion_display(self) -> str:
        return choice_label(Occasion, self.occasion)

    @property
    def ratings(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in KEYS}

    def set_ratings(self, ratings: dict[str, int]) -> None:
        for key in KEYS:
            setattr(self, key, ratings[key])

    @property
    def reciprocity_index(self) -> float:
        """Mean of the seven ratings, 0–4."""
        return sum(self.ratings.values()) / len(KEYS)
