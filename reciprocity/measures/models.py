import hashlib
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocity.measures import registry
from reciprocity.measures.definitions import DEFAULT_LANGUAGE, Instrument
from reciprocity.measures.languages import language_name
from reciprocity.vault.fields import EncryptedTextField


class Source(models.TextChoices):
    THERAPIST = "therapist", _("Entered by the therapist")
    CLIENT_LINK = "client_link", _("Completed by the client through a link")
    SELF = "self", _("The therapist's own check-in")
    IMPORT = "import", _("Imported (FHIR)")


class AdministrationQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(therapist=therapist)

    def of_clients(self) -> Self:
        return self.filter(client__isnull=False)

    def own_checkins(self) -> Self:
        return self.filter(client__isnull=True)

    def with_open_flags(self) -> Self:
        return self.exclude(flags=[]).filter(flags_acknowledged_at__isnull=True)


class Administration(models.Model):
    """One completed questionnaire: about a client, or (client empty) the therapist's own check-in.

    Scores are computed once, when it is recorded, and stored with the instrument version used.
    """

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="administrations")
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="administrations"
    )
    session = models.ForeignKey(
        "therapy.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="administrations"
    )
    instrument_id = models.CharField(max_length=32)
    instrument_version = models.CharField(max_length=20)
    completed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=12, choices=Source.choices)
    answers = models.JSONField()  # {item id: value as answered, in `coding`, or null}
    # The published coding the answers were given in (e.g. the US K10's 0–4); empty: the response sets' own.
    coding = models.CharField(max_length=32, blank=True, default="")
    # The language of the version answered (BCP-47): the instrument file's own, or a translation a practice added.
    # The answers count as the instrument's either way: `instrument_id` is always the instrument's own id.
    language = models.CharField(max_length=35, default=DEFAULT_LANGUAGE)
    total = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=60, blank=True)
    # {scale id: {"score": float|null, "band": str, "prorated": bool, "missing": int, "bands": {scheme: str}}};
    # "bands" only where a scale has several published bandings.
    scale_scores = models.JSONField(default=dict)
    flags = models.JSONField(default=list)  # ids of the instrument's flags that this answer set raised
    flags_acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True)  # the therapist's own words beside a check-in
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-completed_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["therapist", "instrument_id", "completed_at"]),
            models.Index(fields=["client", "instrument_id", "completed_at"]),
            # Today asks, on every view, when each own check-in was last done and which risk flags are open:
            # each an index of only those rows, rather than a pass over every answer set of the therapist.
            models.Index(
                fields=["therapist", "instrument_id", "completed_at"],
                condition=models.Q(client__isnull=True),
                name="administration_own_checkins",
            ),
            models.Index(
                fields=["therapist"],
                condition=models.Q(flags_acknowledged_at__isnull=True) & ~models.Q(flags=[]),
                name="administration_open_flags",
            ),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(source__in=Source.values), name="administration_known_source"),
            # A therapist's own check-in has no client; anything about a client names one.
            models.CheckConstraint(
                condition=models.Q(client__isnull=True, source=Source.SELF)
                | (models.Q(client__isnull=False) & ~models.Q(source=Source.SELF)),
                name="administration_subject_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} · {timezone.localtime(self.completed_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("measures:administration-detail", args=[self.pk])

    @property
    def instrument(self) -> Instrument:
        return registry.get(self.instrument_id)

    @property
    def has_open_flag(self) -> bool:
        return bool(self.flags) and self.flags_acknowledged_at is None

    @property
    def is_prorated(self) -> bool:
        """Whether any scale was scored with unanswered items filled in by the manual's rule."""
        return any(scale.get("prorated") for scale in self.scale_scores.values())

    def is_scale_prorated(self, scale_id: str) -> bool:
        return bool(self.scale_scores.get(scale_id, {}).get("prorated"))

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ClientLinkQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(created_by=therapist)


class ClientLink(models.Model):
    """A one-time link for a client to answer one questionnaire; only a hash of its token is stored."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_links")
    instrument_id = models.CharField(max_length=32)
    language = models.CharField(max_length=35, default=DEFAULT_LANGUAGE)  # of the version the link opens
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    administration = models.OneToOneField(
        Administration, null=True, blank=True, on_delete=models.SET_NULL, related_name="link"
    )

    objects = ClientLinkQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument_id} link · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return not self.is_used and not self.is_expired

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def is_translation(self) -> bool:
        """Whether the link opens a translation rather than the instrument's own file."""
        try:
            return self.language != registry.get(self.instrument_id).language
        except registry.UnknownInstrument:
            return False
