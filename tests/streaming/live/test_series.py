"""Weekly series: one session a week at the same Helsinki clock time, made, edited and deleted
from the admin."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from streaming.live import series as weekly
from streaming.live.keys import session_for_key
from streaming.models import LiveSeries, LiveSession, LiveState
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.users import logged_in_in_english as logged_in
from tests.users import member

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def wall_clock(moment: datetime) -> tuple:
    at = moment.astimezone(HELSINKI)
    return (at.year, at.month, at.day, at.hour, at.minute)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# Pure: no database.


def test_weekly_sessions_keep_their_clock_time_when_summer_time_ends():
    # Clocks go back on Sunday 25 October 2026 at 04:00 (EEST, +3) to 03:00 (EET, +2).
    starts = weekly.weekly_starts(local(2026, 10, 20, 10, 0), 3)
    assert [wall_clock(start) for start in starts] == [
        (2026, 10, 20, 10, 0),
        (2026, 10, 27, 10, 0),
        (2026, 11, 3, 10, 0),
    ]
    assert [start.astimezone(UTC).hour for start in starts] == [7, 8, 8]
    # Python subtracts datetimes of one zone by their wall clocks: compare the instants in UTC.
    assert utc(starts[1]) - utc(starts[0]) == timedelta(weeks=1, hours=1)


def test_weekly_sessions_keep_their_clock_time_when_summer_time_begins():
    # Clocks go forward on Sunday 28 March 2027 at 03:00 (+2) to 04:00 (+3).
    starts = weekly.weekly_starts(local(2027, 3, 23, 18, 30), 2)
    assert [wall_clock(start) for start in starts] == [(2027, 3, 23, 18, 30), (2027, 3, 30, 18, 30)]
    assert utc(starts[1]) - utc(starts[0]) == timedelta(weeks=1, hours=-1)


def test_the_first_start_may_be_given_in_utc():
    starts = weekly.weekly_starts(datetime(2026, 10, 20, 7, 0, tzinfo=UTC), 2)
    assert [wall_clock(start) for start in starts] == [(2026, 10, 20, 10, 0), (2026, 10, 27, 10, 0)]


def test_a_clock_time_skipped_in_spring_moves_forward_by_the_gap():
    starts = weekly.weekly_starts(local(2027, 3, 21, 3, 30), 2)
    assert wall_clock(starts[1]) == (2027, 3, 28, 4, 30)
    assert starts[1].astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_a_clock_time_repeated_in_autumn_is_its_first_summer_time_instance():
    starts = weekly.weekly_starts(local(2026, 10, 18, 3, 30), 2)
    assert starts[1].astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_start_without_a_time_zone_is_refused():
    with pytest.raises(ValueError):
        weekly.weekly_starts(datetime(2026, 10, 20, 10, 0), 2)


# Through the admin.


def series_form(**changes) -> dict:
    form = {
        "title": "Tuolijumppa tiistaisin",
        "description": "Jumppaa tuolilla istuen.",
        "topic": "exercise",
        "first_starts_at": "2027-10-19 10:00",
        "planned_minutes": "45",
        "weeks": "3",
        "visibility": "signed_in",
        "archive_policy": "none",
    }
    form.update(changes)
    return form


def shown_keys(html: str) -> dict[int, str]:
    return {
        int(pk): key
        for pk, key in re.findall(
            r'<code id="live-key-(\d+)" class="live-series-key">([^<]+)</code>', html
        )
    }


@pytest.mark.django_db
def test_creating_a_series_makes_its_weekly_sessions_across_the_autumn_change():
    editor = member("toimittaja", EDITORS_GROUP)
    client = logged_in(editor)
    response = client.post(reverse("live_series:add"), series_form(host=editor.pk), follow=True)
    assert response.status_code == 200
    series = LiveSeries.objects.get()
    sessions = list(series.sessions.order_by("starts_at"))
    # Summer time ends on Sunday 31 October 2027: the third session is an hour later in UTC.
    assert [wall_clock(session.starts_at) for session in sessions] == [
        (2027, 10, 19, 10, 0),
        (2027, 10, 26, 10, 0),
        (2027, 11, 2, 10, 0),
    ]
    for session in sessions:
        assert session.title == "Tuolijumppa tiistaisin"
        assert session.description == "Jumppaa tuolilla istuen."
        assert (session.topic, session.visibility, session.archive_policy) == (
            "exercise",
            "signed_in",
            "none",
        )
        assert session.host == editor
        assert session.planned_minutes == 45
        assert session.state == LiveState.SCHEDULED
    assert len({session.key_hash for session in sessions}) == 3

    page = response.content.decode()
    keys = shown_keys(page)
    assert {pk: session_for_key(key) for pk, key in keys.items()} == {s.pk: s for s in sessions}
    for session in sessions:
        assert reverse("live_sessions:edit", args=[session.pk]) in page

    again = client.get(reverse("live_series:edit", args=[series.pk])).content.decode()
    assert shown_keys(again) == {}
    assert reverse("live_sessions:edit", args=[sessions[0].pk]) in again


@pytest.mark.django_db
def test_a_series_is_made_whole_or_not_at_all():
    client = logged_in(member("toimittaja", EDITORS_GROUP))
    real_issue_key = weekly.issue_key
    calls = []

    def failing_on_the_third(session):
        calls.append(session)
        if len(calls) == 3:
            raise RuntimeError("no randomness left")
        return real_issue_key(session)

    with (
        mock.patch.object(weekly, "issue_key", failing_on_the_third),
        pytest.raises(RuntimeError),
    ):
        client.post(reverse("live_series:add"), series_form())
    assert not LiveSeries.objects.exists()
    assert not LiveSession.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_plan_a_series():
    staff = logged_in(member("ohjaaja", STAFF_GROUP))
    response = staff.post(reverse("live_series:add"), series_form())
    assert response.status_code in (302, 403)
    assert not LiveSeries.objects.exists()
    assert not LiveSession.objects.exists()


def _series_with_history(client) -> tuple[LiveSeries, list[LiveSession]]:
    """A series of four: one ended last week, one live now, one due an hour ago, one to come."""
    start = timezone.localtime() + timedelta(days=1)
    client.post(
        reverse("live_series:add"),
        series_form(weeks="4", first_starts_at=start.strftime("%Y-%m-%d %H:%M")),
    )
    series = LiveSeries.objects.get()
    ended, live, due, upcoming = series.sessions.order_by("starts_at")
    now = timezone.now()
    LiveSession.objects.filter(pk=ended.pk).update(
        starts_at=now - timedelta(days=7), state=LiveState.ENDED, ended_at=now - timedelta(days=7)
    )
    LiveSession.objects.filter(pk=live.pk).update(
        starts_at=now - timedelta(minutes=10), state=LiveState.LIVE, went_live_at=now
    )
    LiveSession.objects.filter(pk=due.pk).update(starts_at=now - timedelta(hours=1))
    return series, [LiveSession.objects.get(pk=s.pk) for s in (ended, live, due, upcoming)]


@pytest.mark.django_db
def test_editing_a_series_changes_only_the_sessions_still_to_come():
    editor = member("toimittaja", EDITORS_GROUP)
    client = logged_in(editor)
    series, (ended, live, due, upcoming) = _series_with_history(client)
    response = client.post(
        reverse("live_series:edit", args=[series.pk]),
        {
            "title": "Tuolijumppa ja venyttely",
            "description": "Uusi kuvaus.",
            "topic": "cafe",
            "host": editor.pk,
            "visibility": "public",
            "archive_policy": "review",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "1 upcoming session" in response.content.decode()

    changed = LiveSession.objects.get(pk=upcoming.pk)
    assert (changed.title, changed.description, changed.topic) == (
        "Tuolijumppa ja venyttely",
        "Uusi kuvaus.",
        "cafe",
    )
    assert (changed.host, changed.visibility, changed.archive_policy) == (
        editor,
        "public",
        "review",
    )
    assert changed.starts_at == upcoming.starts_at
    assert changed.planned_minutes == upcoming.planned_minutes
    for before in (ended, live, due):
        after = LiveSession.objects.get(pk=before.pk)
        assert (after.title, after.topic, after.visibility, after.archive_policy) == (
            before.title,
            before.topic,
            before.visibility,
            before.archive_policy,
        )
    # The series' schedule is not part of its edit form.
    assert LiveSeries.objects.get().weeks == 4


@pytest.mark.django_db
def test_deleting_a_series_deletes_what_is_to_come_and_keeps_what_happened():
    client = logged_in(member("toimittaja", EDITORS_GROUP))
    series, (ended, live, due, upcoming) = _series_with_history(client)

    confirm = client.get(reverse("live_series:delete", args=[series.pk]))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "deleted with the series" in page and "kept as single session" in page

    response = client.post(reverse("live_series:delete", args=[series.pk]))
    assert response.status_code == 302
    assert not LiveSeries.objects.exists()
    assert not LiveSession.objects.filter(pk=upcoming.pk).exists()
    kept = LiveSession.objects.filter(pk__in=[ended.pk, live.pk, due.pk])
    assert kept.count() == 3
    assert all(session.series_id is None for session in kept)


@pytest.mark.django_db
def test_staff_cannot_delete_a_series():
    client = logged_in(member("toimittaja", EDITORS_GROUP))
    client.post(reverse("live_series:add"), series_form())
    series = LiveSeries.objects.get()
    staff = logged_in(member("ohjaaja", STAFF_GROUP))
    staff.post(reverse("live_series:delete", args=[series.pk]))
    assert LiveSeries.objects.exists()
    assert LiveSession.objects.count() == 3
