"""The audit trail: who signed in, exported, or read or changed someone's data, when and from where."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from reciprocity.audit.descriptions import describe


class Action(models.TextChoices):
    SIGN_IN = "sign-in", pgettext_lazy("audit action", "Signed in")
    SIGN_IN_FAILED = "sign-in-failed", pgettext_lazy("audit action", "Failed sign-in")
    SIGN_OUT = "sign-out", pgettext_lazy("audit action", "Signed out")
    EXPORT = "export", pgettext_lazy("audit action", "Export")
    READ = "read", pgettext_lazy("audit action", "Read")
    CHANGE = "change", pgettext_lazy("audit action", "Change")
    ADMIN = "admin", pgettext_lazy("audit action", "Administration")


class EventQuerySet(models.QuerySet):
    def about(self, user: settings.AUTH_USER_MODEL) -> "EventQuerySet":
        # A person sees the events that concern their data, whoever the actor was; nobody sees another's.
        return self.filter(subject=user)


class Event(models.Model):
    """One recorded access. Rows are only ever added: nothing in the app updates or deletes them.

    `what` is a short description built from codes and kinds of object, never from text a person wrote,
    so the trail itself holds nothing clinical. Erasing an account erases the events about it (CASCADE).
    """

    when = models.DateTimeField(default=timezone.now, db_index=True)
    # Null for a failed sign-in under an unknown name, or once the actor's account is deleted.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip
    # Null when the event concerns nobody in particular (an unknown name, an admin list page).
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="audit_events")  # fmt: skip
    action = models.CharField(max_length=16, choices=Action.choices)
    what = models.CharField(max_length=200)
    address = models.GenericIPAddressField(null=True, blank=True)
    object_kind = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-when", "-pk"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["subject", "-when"], name="audit_subject_when")]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(action__in=Action.values), name="audit_known_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.what}"

    @property
    def description(self) -> str:
        """`what` as the page shows it: in the reader's language where it is a description we know."""
        return describe(self.what)

    @property
    def is_by_someone_else(self) -> bool:
        return self.actor_id != self.subject_id
