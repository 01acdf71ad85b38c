"""Adding, changing and removing prompts, and saving the answers given with a reflection."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from reciprocity.practice.models import Practice, User
from reciprocity.prompts.models import MAX_ANSWER, MAX_LENGTH, MAX_PROMPTS, Prompt, PromptAnswer
from reciprocity.prompts.selectors import Asked
from reciprocity.therapy.models import Reflection


class PromptError(ValueError):
    """A prompt that cannot be saved, with the reason in words for the page."""


def clean_text(text: str) -> str:
    """The prompt's words on one line; refused when empty or longer than MAX_LENGTH characters."""
    text = " ".join((text or "").split())
    if not text:
        raise PromptError(gettext("Write the prompt: a question of your own, up to 200 characters."))
    if len(text) > MAX_LENGTH:
        raise PromptError(
            gettext("A prompt has at most %(limit_value)d characters; this one has %(show_value)d.")
            % {"limit_value": MAX_LENGTH, "show_value": len(text)}
        )
    return text


def _check_new_words(owner: User | Practice, text: str, *, besides: Prompt | None = None) -> None:
    others = Prompt.objects.of(owner).active().exclude(pk=besides.pk if besides else None)
    if any(p.text.casefold() == text.casefold() for p in others):
        raise PromptError(gettext("This prompt is already on the list."))


@transaction.atomic
def add_prompt(owner: User | Practice, text: str) -> Prompt:
    """Add a prompt to a therapist's own (a User) or a practice's defaults (a Practice), at its first free place."""
    text = clean_text(text)
    taken = set(Prompt.objects.of(owner).active().values_list("position", flat=True))
    free = [n for n in range(1, MAX_PROMPTS + 1) if n not in taken]
    if not free:
        raise PromptError(gettext("You can keep up to three prompts. Remove one to add another."))
    _check_new_words(owner, text)
    owner_field = "practice" if isinstance(owner, Practice) else "therapist"
    try:
        with transaction.atomic():
            return Prompt.objects.create(**{owner_field: owner}, text=text, position=free[0])
    except IntegrityError:  # someone else took that place in the meantime
        raise PromptError(
            gettext("These prompts were changed at the same time elsewhere; look again and retry.")
        ) from None


@transaction.atomic
def edit_prompt(prompt: Prompt, text: str) -> Prompt:
    """Change a prompt's words; answers already given keep the words they were asked in."""
    text = clean_text(text)
    _check_new_words(prompt.practice or prompt.therapist, text, besides=prompt)
    prompt.text = text
    prompt.save(update_fields=["text", "updated_at"])
    return prompt


@transaction.atomic
def remove_prompt(prompt: Prompt) -> None:
    """Stop asking a prompt; it is kept, inactive, so the answers given to it still name it."""
    prompt.is_active = False
    prompt.save(update_fields=["is_active", "updated_at"])


@transaction.atomic
def save_answers(reflection: Reflection, answers: list[tuple[Asked, str]]) -> None:
    """Store each non-empty answer given with a reflection; an answer emptied on editing is deleted."""
    for asked, text in answers:
        text = (text or "").strip()[:MAX_ANSWER]
        if asked.answer is not None:
            if asked.answer.reflection_id != reflection.pk:
                raise ValueError("An answer belongs to its own reflection.")
            if not text:
                asked.answer.delete()
            elif text != asked.answer.answer:
                asked.answer.answer = text
                asked.answer.save(update_fields=["answer", "updated_at"])
        elif text and asked.prompt is not None:
            PromptAnswer.objects.update_or_create(
                reflection=reflection,
                prompt=asked.prompt,
                defaults={"answer": text},
                create_defaults={"answer": text, "asked": asked.prompt.text, "position": asked.prompt.position},
            )
