"""The public iCalendar feed of upcoming live sessions, read back with the icalendar package."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from streaming.models import LiveSession, LiveState, LiveVisibility
from tests.users import member

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def make_session(title, starts_in, state=LiveState.SCHEDULED, **values) -> LiveSession:
    return LiveSession.objects.create(
        title=title, starts_at=timezone.now() + starts_in, state=state, **values
    )


def events_of(response) -> dict[str, object]:
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_upcoming_public_sessions_with_stable_ids(client):
    soon = make_session(
        "Tuolijumppa", timedelta(days=2), description="Tuoli ja vesipullo.", planned_minutes=30
    )
    make_session("Kahvila nyt", -timedelta(minutes=15), LiveState.LIVE, topic="cafe")
    make_session("Kahden kuukauden päästä", timedelta(days=61))
    make_session("Vain kirjautuneille", timedelta(days=1), visibility=LiveVisibility.SIGNED_IN)
    make_session("Päättynyt", -timedelta(hours=3), LiveState.ENDED)
    make_session("Epäonnistunut", -timedelta(minutes=5), LiveState.FAILED)

    response = client.get("/fi/live/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    assert set(events) == {"Tuolijumppa", "Kahvila nyt"}

    event = events["Tuolijumppa"]
    assert str(event["UID"]) == f"{soon.public_id}@kotikanava"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == soon.starts_at.replace(microsecond=0)
    assert end - start == timedelta(minutes=30)
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    page = f"http://testserver/fi/live/{soon.public_id}/"
    assert str(event["URL"]) == page
    assert "Tuoli ja vesipullo." in str(event["DESCRIPTION"])
    assert page in str(event["DESCRIPTION"])

    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    assert str(calendar["VERSION"]) == "2.0"


def test_same_feed_for_signed_in_people(client):
    make_session("Vain kirjautuneille", timedelta(days=1), visibility=LiveVisibility.SIGNED_IN)
    signed_in = Client()
    signed_in.force_login(member("asiakas", "Sisällöntuottajat"))
    assert events_of(signed_in.get("/fi/live/calendar.ics")) == {}


def test_uid_is_the_same_after_the_session_moves(client):
    session = make_session("Siirtyvä", timedelta(days=3))
    before = events_of(client.get("/fi/live/calendar.ics"))["Siirtyvä"]
    session.starts_at += timedelta(hours=2)
    session.save()
    after = events_of(client.get("/fi/live/calendar.ics"))["Siirtyvä"]
    assert str(before["UID"]) == str(after["UID"])
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(hours=2)


def test_swedish_feed_links_swedish_pages_and_bare_path_redirects(client):
    session = make_session("Matlagning", timedelta(days=1), topic="cooking")
    events = events_of(client.get("/sv/live/calendar.ics"))
    assert str(events["Matlagning"]["URL"]).endswith(f"/sv/live/{session.public_id}/")
    response = client.get("/live/calendar.ics")
    assert response.status_code == 302 and response["Location"] == "/fi/live/calendar.ics"
