from typing import Any

from django.db import transaction

from reciprocity.development.models import Activity, Goal, Support
from reciprocity.lib.ownership import NotYours
from reciprocity.practice.models import User


@transaction.atomic
def log_activity(owner: User, **fields: Any) -> Activity:
    return Activity.objects.create(owner=owner, **fields)


@transaction.atomic
def set_goal(owner: User, **fields: Any) -> Goal:
    return Goal.objects.create(owner=owner, **fields)


@transaction.atomic
def update_progress(goal: Goal, *, by: User, progress: int) -> Goal:
    if goal.owner_id != by.pk:
        raise NotYours("You can only update your own goals.")
    if not 0 <= progress <= 100:
        raise ValueError("Progress is from 0 to 100 per cent.")
    goal.progress = progress
    goal.save(update_fields=["progress", "updated_at"])
    return goal


@transaction.atomic
def log_support(owner: User, **fields: Any) -> Support:
    return Support.objects.create(owner=owner, **fields)
