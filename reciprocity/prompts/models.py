"""A therapist's own prompts (or a practice's defaults) asked on the reflection form, and the answers to them."""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from reciprocity.practice.models import Practice
from reciprocity.vault.fields import EncryptedCharField, EncryptedTextField

MAX_PROMPTS = 3  # active prompts per owner: a reflection stays a minute's work
MAX_LENGTH = 200  # characters of a prompt
MAX_ANSWER = 5000  # characters of an answer, as for the reflection's own texts


class PromptQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True).order_by("position")

    def of(self, owner: models.Model) -> Self:
        """The prompts of a therapist (a User) or a practice's defaults (a Practice)."""
        return self.filter(**owner_lookup(owner))


def owner_lookup(owner: models.Model) -> dict[str, models.Model]:
    return {"practice": owner} if isinstance(owner, Practice) else {"therapist": owner}


class Prompt(models.Model):
    """A question asked after "What this gave me" and "What I'll carry into my own life", answered optionally.

    It belongs to one therapist, or to a practice as a default for therapists who have none of their own.
    A removed prompt is kept, inactive, so the answers given to it still name it.
    """

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="prompts"
    )
    practice = models.ForeignKey(
        "practice.Practice", null=True, blank=True, on_delete=models.CASCADE, related_name="prompts"
    )
    text = EncryptedCharField(max_length=MAX_LENGTH)
    position = models.PositiveSmallIntegerField()  # its place on the form, 1 to MAX_PROMPTS
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(therapist__isnull=False, practice__isnull=True)
                | Q(therapist__isnull=True, practice__isnull=False),
                name="prompt_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_PROMPTS), name="prompt_position_range"
            ),
            # One active prompt per place and owner: so never more than three active ones.
            models.UniqueConstraint(
                fields=["therapist", "position"],
                condition=Q(is_active=True, therapist__isnull=False),
                name="prompt_one_active_per_place_of_therapist",
            ),
            models.UniqueConstraint(
                fields=["practice", "position"],
                condition=Q(is_active=True, practice__isnull=False),
                name="prompt_one_active_per_place_of_practice",
            ),
        ]

    def __str__(self) -> str:
        owner = f"practice {self.practice_id}" if self.practice_id else f"therapist {self.therapist_id}"
        return f"Prompt {self.position} of {owner}"


class PromptAnswerQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(reflection__author=therapist)


class PromptAnswer(models.Model):
    """An answer to a prompt, given with one reflection; an empty answer is never stored."""

    reflection = models.ForeignKey("therapy.Reflection", on_delete=models.CASCADE, related_name="prompt_answers")
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    # The prompt's words when it was answered: editing the prompt later does not change what was asked.
    asked = EncryptedCharField(max_length=MAX_LENGTH)
    answer = EncryptedTextField(max_length=MAX_ANSWER)
    position = models.PositiveSmallIntegerField()  # the prompt's place when answered, for the order on the page
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromptAnswerQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["reflection", "prompt"], name="prompt_answered_once_per_reflection"),
            models.CheckConstraint(condition=~Q(answer=""), name="prompt_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Answer {self.position} of reflection {self.reflection_id}"
