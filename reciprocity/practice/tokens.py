"""Personal access tokens: made, checked and revoked here; only their SHA-256 hash is ever stored."""

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from reciprocity.practice.models import AccessToken, TokenScope, User

PREFIX = "rcp_"
MAX_DAYS = 3650


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(
    *, user: User, name: str, scope: str = TokenScope.READ, expires_days: int | None = 90
) -> tuple[AccessToken, str]:
    """Make a token for `user`; returns it with the raw value, which is shown once and never stored."""
    if scope not in TokenScope.values:
        raise ValueError(f"The scope must be one of {', '.join(TokenScope.values)}, not {scope!r}.")
    if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
        raise ValueError(f"A token expires after 1 to {MAX_DAYS} days, not {expires_days}.")
    if not name.strip():
        raise ValueError("Give the token a name, so you know later what it is for.")
    raw = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
    token = AccessToken.objects.create(
        user=user, name=name.strip()[:80], prefix=raw[:10], token_hash=_hash(raw), scope=scope, expires_at=expires
    )
    return token, raw


def authenticate(raw: str) -> AccessToken | None:
    """The active token with this value (its user loaded), or None; records when it was last used."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = AccessToken.objects.select_related("user").filter(token_hash=_hash(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke(token: AccessToken) -> AccessToken:
    """Stop a token working at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class TokenAuth(HttpBearer):
    """The API's token sign-in: `Authorization: Bearer rcp_…` names the user and `request.token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.token = found  # type: ignore[attr-defined]
        timezone.activate(found.user.zone)  # dates in and out in the token owner's own time zone
        return found.user
