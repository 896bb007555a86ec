"""The public schedule as an iCalendar feed, for clients' and staff's calendar apps.

Served per language at /<lang>/live/calendar.ics (/live/calendar.ics redirects to the default
language, as every client URL does): the events' links open the session pages in that language.
Only public sessions are listed, whoever asks: calendar apps subscribe without signing in, and a
feed that changed with the person asking could not be shared or cached.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from library.live.schedule import HELSINKI, calendar_sessions
from streaming.models import LiveSession

PRODUCT_ID = "-//Kotikanava//Live sessions//FI"
# Calendar apps poll feeds (hourly at most, usually): five minutes of caching costs nothing.
CACHE_SECONDS = 300


@require_safe
def calendar_feed(request):
    calendar = build_calendar(calendar_sessions(), request.build_absolute_uri)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kotikanava.ics"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def build_calendar(sessions: list[LiveSession], absolute_url) -> Calendar:
    """One VEVENT per session; `absolute_url` turns a path into a full URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", gettext("Kotikanava live sessions"))
    calendar.add("x-wr-timezone", str(HELSINKI))
    stamp = timezone.now()
    for session in sessions:
        calendar.add_component(_event(session, absolute_url, stamp))
    if sessions:
        # VTIMEZONE for Europe/Helsinki, so apps read DTSTART;TZID=Europe/Helsinki exactly;
        # only the transitions of the feed's own span (decades of them would be ~3 kB).
        first = min(s.starts_at for s in sessions) - timedelta(days=1)
        last = max(s.planned_end for s in sessions) + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first.date(), last_date=last.date())
    return calendar


def _event(session: LiveSession, absolute_url, stamp) -> Event:
    url = absolute_url(reverse("live_session_page", kwargs={"public_id": session.public_id}))
    event = Event()
    # The session's own id: a moved or renamed session stays the same event in people's apps.
    event.add("uid", f"{session.public_id}@kotikanava")
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(session.starts_at, HELSINKI))
    event.add("dtend", timezone.localtime(session.planned_end, HELSINKI))
    event.add("summary", session.title)
    # Many apps ignore URL: the link is in the description too, where people see it.
    text = gettext("Watch on Kotikanava: %(url)s") % {"url": url}
    event.add("description", f"{session.description}\n\n{text}" if session.description else text)
    event.add("url", url)
    event.add("categories", [str(session.get_topic_display())])
    event.add("status", "CONFIRMED")
    return event
