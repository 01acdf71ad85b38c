"""Sign-in, failed sign-in and sign-out, from Django's own signals, whatever view or backend signed the user in."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.practice.models import User


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(Action.SIGN_IN, "signed in", subject=user, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def _sign_in_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # The name typed is never stored: if it is an account's, the event is that account's; otherwise nobody's.
    name = str(credentials.get("username") or "")
    lookup = {f"{User.USERNAME_FIELD}__iexact": name.strip()}  # as the sign-in back-off matches names
    subject = User.objects.filter(**lookup).first() if name.strip() else None
    what = "a failed sign-in to your account" if subject else "a failed sign-in under a name that is no account"
    record(Action.SIGN_IN_FAILED, what, subject=subject, actor=None, request=request)


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        record(Action.SIGN_OUT, "signed out", subject=user, actor=user, request=request)
