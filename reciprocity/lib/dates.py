"""Dates as the user means them: calendar days on their own wall clock, stored times in UTC."""

import datetime
import functools
import zoneinfo

from django.db.models import QuerySet
from django.utils import timezone


def on_local_days(queryset: QuerySet, field: str, since: datetime.date | None, until: datetime.date | None) -> QuerySet:
    """Rows whose time `field` falls on the days `since`..`until` (inclusive) in the active time zone.

    Callers keep the days within lib.forms' FIRST_YEAR..LAST_YEAR: near year 1 or 9999 the shift overflows."""
    zone = timezone.get_current_timezone()
    if since:
        queryset = queryset.filter(**{f"{field}__gte": datetime.datetime.combine(since, datetime.time.min, zone)})
    if until:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, zone)
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA time zone names this machine knows, read from disk once per process: reading them walks the
    zone database's files (about 15 ms), and every account created or saved checks its zone against them."""
    return frozenset(zoneinfo.available_timezones())
