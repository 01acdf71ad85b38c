"""Every page of the Django admin a staff member opens about another person's data becomes an audit event."""

from collections.abc import Callable
from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from reciprocity.audit.models import Action
from reciprocity.audit.services import record, record_each
from reciprocity.practice.models import User

OWNER_FIELDS = ("therapist", "author", "user", "owner")  # the foreign keys that name whose a row is
MOST_SUBJECTS = 500
READ = {
    "change": "opened",
    "history": "read the history of",
    "delete": "opened the deletion page of",
    "password_change": "opened the password page of",
}
WRITE = {"change": "changed", "delete": "deleted", "password_change": "changed the password of"}


def subjects_of(obj: models.Model) -> list[int]:
    """The people a row is about: a user themselves, the owner a row names, or the users its memberships name."""
    if isinstance(obj, User):
        return [obj.pk]
    owners = [getattr(obj, f"{f.name}_id") for f in obj._meta.concrete_fields
              if f.name in OWNER_FIELDS and f.is_relation and f.related_model is User]  # fmt: skip
    if owners:
        return [pk for pk in owners if pk is not None]
    for relation in obj._meta.related_objects:  # e.g. a practice: its members
        field_names = {f.name for f in relation.related_model._meta.concrete_fields}
        if relation.one_to_many and "user" in field_names:
            rows = relation.related_model._default_manager.filter(**{relation.field.name: obj})
            return list(rows.values_list("user_id", flat=True).distinct()[:MOST_SUBJECTS])
    return []


class AdminAccess:
    """Records admin pages after they answer: a view, a change or a deletion of someone else's row."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        found = getattr(request, "_audit_admin", None)
        if found is not None and response.status_code < 400:
            self._record(request, *found)
        return response

    def process_view(self, request: HttpRequest, view: Callable, args: Any, kwargs: dict) -> None:
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        user = getattr(request, "user", None)
        model_admin = getattr(view, "model_admin", None)  # the admin sets it on every view of a model
        if not request.path.startswith(self.prefix) or not (user and user.is_staff) or model_admin is None:
            return
        model = model_admin.model
        # Admin URL names are "<app>_<model>_<page>", e.g. practice_user_change or practice_user_password_change.
        page = (request.resolver_match.url_name or "").removeprefix(
            f"{model._meta.app_label}_{model._meta.model_name}_"
        )
        obj, subjects = None, []
        object_id = kwargs.get("object_id", kwargs.get("id"))
        if object_id is not None:
            try:
                obj = model._default_manager.filter(pk=unquote(str(object_id))).first()
            except (ValueError, ValidationError):
                obj = None
            if obj is None:  # the admin answers "not found" itself
                return
            subjects = [pk for pk in subjects_of(obj) if pk != user.pk]  # read now: a deletion may remove them
        request._audit_admin = (model, obj, page, subjects)  # type: ignore[attr-defined]

    def _record(
        self, request: HttpRequest, model: type[models.Model], obj: models.Model | None, page: str, subjects: list[int]
    ) -> None:
        if obj is None:
            action = "listed" if page == "changelist" else f"used the '{page.replace('_', ' ')}' page of"
            record(Action.ADMIN, f"administration: {action} {model._meta.verbose_name_plural}", subject=None,
                   request=request)  # fmt: skip
            return
        is_write = request.method == "POST"
        verb = (WRITE if is_write else READ).get(page, page.replace("_", " "))
        if is_write and page == "delete":
            # A deleted person takes the trail about them along; only the people still here get an event.
            subjects = list(User.objects.filter(pk__in=subjects).values_list("pk", flat=True))
        what = f"administration: {verb} {model._meta.verbose_name} #{obj.pk}"
        if len(subjects) <= 1:
            record(Action.ADMIN, what, subject=subjects[0] if subjects else None, request=request, obj=obj)
        else:
            record_each(Action.ADMIN, what, subjects=subjects, request=request, obj=obj)
