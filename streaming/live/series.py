"""Weekly series: when their sessions start, and what making, editing or deleting one does.

A weekly class keeps its wall-clock time: 10:00 in Helsinki stays 10:00 after the clocks go back
at the end of October, which is another instant in UTC. Adding a week to an aware datetime in a
fixed offset would move every later session by an hour, so the weeks are counted on the local
calendar and each start is placed in the zone again.

Only `weekly_starts` is pure; the rest write the series' sessions and are called by the admin
views inside their transaction (never from `save()`).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from streaming.live.keys import issue_key
from streaming.models import LiveSeries, LiveSession, LiveState

HELSINKI = ZoneInfo("Europe/Helsinki")

# What a series hands down to its sessions, at creation and again whenever it is edited.
SHARED_FIELDS = ("title", "description", "topic", "host", "visibility", "archive_policy")


def weekly_starts(first: datetime, weeks: int, zone: ZoneInfo = HELSINKI) -> list[datetime]:
    """`weeks` start times a week apart at the local time of `first` in `zone`.

    A local time the spring change skips (03:30 on the last Sunday of March) moves forward by
    the hour the clocks jump; one the autumn change repeats is its first, summer-time, instance.
    """
    if first.tzinfo is None:
        raise ValueError("the first start must carry its time zone")
    local = first.astimezone(zone)
    wall_clock = local.replace(tzinfo=None)
    return [_in_zone(wall_clock + timedelta(weeks=week), zone) for week in range(weeks)]


def _in_zone(wall_clock: datetime, zone: ZoneInfo) -> datetime:
    # The round trip through UTC turns a skipped local time into the existing one after the gap.
    return wall_clock.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def create_sessions(series: LiveSeries) -> dict[int, str]:
    """Make the series' sessions, each with its own key; return the keys by session id."""
    keys = {}
    for starts_at in weekly_starts(series.first_starts_at, series.weeks):
        session = LiveSession(
            series=series,
            starts_at=starts_at,
            planned_minutes=series.planned_minutes,
            **{name: getattr(series, name) for name in SHARED_FIELDS},
        )
        key = issue_key(session)
        session.save()
        keys[session.pk] = key
    return keys


def upcoming_sessions(series: LiveSeries, now: datetime) -> QuerySet[LiveSession]:
    """Sessions still to come: scheduled, with the start ahead. Only these follow the series."""
    return LiveSession.objects.filter(
        series=series, state=LiveState.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at")


def kept_sessions(series: LiveSeries, now: datetime) -> QuerySet[LiveSession]:
    """Sessions that started, ended or were due: their history and recordings stay."""
    return (
        LiveSession.objects.filter(series=series)
        .exclude(pk__in=upcoming_sessions(series, now).values("pk"))
        .order_by("starts_at")
    )


def update_upcoming(series: LiveSeries, now: datetime) -> int:
    """Copy the series' shared fields to its upcoming sessions (their times stay as they are)."""
    return upcoming_sessions(series, now).update(
        **{name: getattr(series, name) for name in SHARED_FIELDS}
    )


def delete_upcoming(series: LiveSeries, now: datetime) -> int:
    """Delete the sessions still to come (with their keys); the others outlive the series."""
    _total, by_model = upcoming_sessions(series, now).delete()
    return by_model.get(LiveSession._meta.label, 0)
