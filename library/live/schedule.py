"""Which sessions clients are told about, and how their times read.

Times are always shown in Europe/Helsinki, whatever the server's or the tablet's zone: the
sessions are run from Finland and a client abroad would still join at Finnish time.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.formats import get_format
from django.utils.translation import gettext

from streaming.live.access import visible_sessions
from streaming.models import LiveSession, LiveState, LiveVisibility

HELSINKI = ZoneInfo("Europe/Helsinki")
HOME_DAYS = 7
CALENDAR_DAYS = 60


def home_sessions(request, now=None) -> dict:
    """The home page's "Live now" and "Next 7 days", as this request may see them."""
    now = now or timezone.now()
    sessions = _coming(visible_sessions(request, LiveSession.objects.all()), HOME_DAYS, now)
    return {
        "live_now": [s for s in sessions if s.state == LiveState.LIVE],
        "live_upcoming": [s for s in sessions if s.state != LiveState.LIVE],
    }


def calendar_sessions(now=None) -> list[LiveSession]:
    """What the public calendar feed lists: public sessions only (a calendar app never signs in)."""
    now = now or timezone.now()
    queryset = LiveSession.objects.filter(visibility=LiveVisibility.PUBLIC)
    return _coming(queryset, CALENDAR_DAYS, now)


def _coming(queryset, days: int, now) -> list[LiveSession]:
    sessions = (
        queryset.filter(
            # planned_end is computed; no session lasts a day, so this keeps old ones out.
            Q(state=LiveState.LIVE)
            | Q(
                state=LiveState.SCHEDULED,
                starts_at__lt=now + timedelta(days=days),
                starts_at__gte=now - timedelta(days=1),
            )
        )
        .annotate(
            live_first=Case(
                When(state=LiveState.LIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("live_first", "starts_at")
    )
    return [s for s in sessions if s.state == LiveState.LIVE or s.planned_end > now]


def session_time(session: LiveSession, now=None) -> str:
    """When a session is, in words a client reads at a glance: today, tomorrow, or a weekday and
    date, with the start and planned end in Helsinki time and the active language's format."""
    start = timezone.localtime(session.starts_at, HELSINKI)
    end = timezone.localtime(session.planned_end, HELSINKI)
    today = timezone.localtime(now or timezone.now(), HELSINKI).date()
    values = {
        "start": time_format(start, get_format("TIME_FORMAT")),
        "end": time_format(end, get_format("TIME_FORMAT")),
    }
    if start.date() == today:
        # Translators: a live session's time today, e.g. "Today at 10.00–10.45".
        return gettext("Today at %(start)s–%(end)s") % values
    if start.date() == today + timedelta(days=1):
        return gettext("Tomorrow at %(start)s–%(end)s") % values
    values["weekday"] = date_format(start, "l")
    values["date"] = date_format(start, get_format("DATE_FORMAT"))
    # Translators: e.g. "Tuesday March 10, 2026 at 10.00–10.45" (Finnish: "klo").
    return gettext("%(weekday)s %(date)s at %(start)s–%(end)s") % values
