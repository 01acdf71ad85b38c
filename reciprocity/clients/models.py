from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reciprocity.clients.codes import validate_client_code
from reciprocity.lib.vocabulary import Term


class Concern(Term):
    """A presenting concern, from the therapist's own editable list."""

    DEFAULTS = (
        "anxiety", "depression", "trauma", "grief", "relationship", "health anxiety", "stress",
        "self-esteem", "substance use", "eating", "obsessive-compulsive", "anger", "life transition", "work",
    )  # fmt: skip

    class Meta(Term.Meta):
        pass


class ClientQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        # A client belongs to one therapist; colleagues in the same practice never see it.
        return self.filter(therapist=therapist)

    def active(self) -> Self:
        return self.filter(ended_on__isnull=True)


class Client(models.Model):
    """A client known only by a pseudonymous code: no name, birth date or contact field exists."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clients")
    code = models.CharField(max_length=20, validators=[validate_client_code])
    concerns = models.ManyToManyField(Concern, blank=True, related_name="clients")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["therapist", "code"], name="client_code_unique_per_therapist"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="client_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("clients:detail", args=[self.code])

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
