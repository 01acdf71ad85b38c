"""The one exception every service raises when asked to touch another person's data."""

from django.core.exceptions import PermissionDenied


class NotYours(PermissionDenied):
    """The object belongs to someone else. Views never get here (their lookups already 404); it is
    the services' own guard for any other door, and Django answers it with the plain 403 page."""
