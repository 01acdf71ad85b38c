"""Keyed fingerprints of what a calendar says, so that an import can recognise a title or an event again
without keeping it.

The key is derived from the app's SECRET_KEY and the therapist's id: the same title gives a different
fingerprint for each therapist and on each installation, and without the secret key a fingerprint cannot be
checked against a guessed name. Changing SECRET_KEY forgets every mapping (the next import asks again);
sessions already imported are still recognised by their client and start time.
"""

import hashlib
import hmac

from django.conf import settings


def _key(therapist_id: int) -> bytes:
    base = hashlib.sha256(b"reciprocity-calendar:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(base, str(therapist_id).encode(), hashlib.sha256).digest()


def normalise_title(title: str) -> str:
    """One spelling per title: spaces collapsed and case folded ("Session  N" and "session n" are one)."""
    return " ".join(title.split()).casefold()


def title_digest(therapist_id: int, title: str) -> str:
    """The fingerprint of an event title for this therapist: 64 hex characters."""
    message = b"title\0" + normalise_title(title).encode()
    return hmac.new(_key(therapist_id), message, hashlib.sha256).hexdigest()


def event_digest(therapist_id: int, uid: str, recurrence: str) -> str:
    """The fingerprint of one occurrence: the event's UID and the recurrence id that picks the occurrence."""
    message = b"event\0" + uid.encode() + b"\0" + recurrence.encode()
    return hmac.new(_key(therapist_id), message, hashlib.sha256).hexdigest()
