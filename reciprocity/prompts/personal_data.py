"""Prompts' part of a person's data: the prompts they wrote and their answers (a practice's defaults are not theirs)."""

from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User
from reciprocity.prompts.models import Prompt, PromptAnswer


def prompts_table(user: User) -> Table:
    rows = [[p.pk, p.position, p.text, p.is_active, when(p.created_at)] for p in Prompt.objects.of(user)]
    return Table("prompts", ["id", "position", "text", "active", "created_at"], rows)


def answers_table(user: User) -> Table:
    header = ["id", "reflection", "prompt", "asked", "answer"]
    answers = PromptAnswer.objects.owned_by(user).order_by("reflection__occurred_at", "position")
    return Table("prompt_answers", header, [[a.pk, a.reflection_id, a.prompt_id, a.asked, a.answer] for a in answers])


def counts(user: User) -> list[tuple[str, int]]:
    return [("answers to own prompts", PromptAnswer.objects.owned_by(user).count())]


PART = Part(
    exported={"prompts.Prompt": "prompts", "prompts.PromptAnswer": "prompt_answers"},
    tables={"prompts": prompts_table, "prompt_answers": answers_table},
    counts=counts,
)
