"""Editors see where a live session stands, end it at once, and choose who may watch it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from streaming.models import LiveSession, LiveState, Video
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.users import logged_in_in_english as logged_in
from tests.users import member

pytestmark = pytest.mark.django_db


def editor_client(**kwargs) -> Client:
    return logged_in(member("toimittaja", EDITORS_GROUP), **kwargs)


def make_session(**fields) -> LiveSession:
    values = {
        "title": "Kokkauskerho",
        "topic": "cooking",
        "starts_at": timezone.now() + timedelta(minutes=5),
        "key_hash": "0" * 64,
    }
    values.update(fields)
    return LiveSession.objects.create(**values)


def text(response) -> str:
    return response.content.decode()


def test_visibility_is_chosen_when_scheduling_and_shown_in_the_listing():
    client = editor_client()
    client.post(
        reverse("live_sessions:add"),
        {
            "title": "Asukaskahvila",
            "topic": "cafe",
            "starts_at": "2026-12-03 14:00",
            "planned_minutes": "60",
            "visibility": "signed_in",
            "archive_policy": "none",
        },
    )
    session = LiveSession.objects.get(title="Asukaskahvila")
    assert session.visibility == "signed_in"
    listing = text(client.get(reverse("live_sessions:index")))
    assert "Signed-in users only" in listing

    client.post(
        reverse("live_sessions:edit", args=[session.pk]),
        {
            "title": "Asukaskahvila",
            "topic": "cafe",
            "starts_at": "2026-12-03 14:00",
            "planned_minutes": "60",
            "visibility": "public",
            "archive_policy": "none",
        },
    )
    assert LiveSession.objects.get(pk=session.pk).visibility == "public"


def test_the_listing_shows_each_sessions_state_and_why_one_failed():
    make_session(title="Tuleva")
    make_session(title="Käynnissä", state=LiveState.LIVE)
    make_session(
        title="Kaatunut", state=LiveState.FAILED, failure_reason="Disk full on the server."
    )
    listing = text(editor_client().get(reverse("live_sessions:index")))
    assert '<span class="w-status ">Scheduled</span>' in listing
    assert 'w-status--primary">Live</span>' in listing
    assert 'streaming-status--failed">Failed</span>' in listing
    assert "Disk full on the server." in listing


def test_the_edit_page_shows_the_state_times_failure_and_recording():
    went_live = timezone.now() - timedelta(minutes=40)
    ended = timezone.now() - timedelta(minutes=5)
    video = Video.objects.create(title="Kokkauskerhon tallenne")
    session = make_session(
        state=LiveState.FAILED,
        went_live_at=went_live,
        ended_at=ended,
        failure_reason="The stream could not be read: the phone sent no picture.",
        video=video,
    )
    page = text(editor_client().get(reverse("live_sessions:edit", args=[session.pk])))
    assert 'role="alert"' in page
    assert "The stream could not be read: the phone sent no picture." in page
    assert timezone.localtime(went_live).strftime("%H:%M:%S") in page
    assert timezone.localtime(ended).strftime("%H:%M:%S") in page
    assert f'href="{reverse("videos:edit", args=[video.pk])}"' in page
    assert "Kokkauskerhon tallenne" in page
    # Over: no way to end it again, and no stream key to hand out.
    assert reverse("live_sessions:end", args=[session.pk]) not in page
    assert "Make a new stream key" not in page


def test_an_editor_ends_a_live_session_after_confirming():
    session = make_session(state=LiveState.LIVE, went_live_at=timezone.now())
    client = editor_client()
    end_url = reverse("live_sessions:end", args=[session.pk])

    edit_page = text(client.get(reverse("live_sessions:edit", args=[session.pk])))
    assert f'href="{end_url}"' in edit_page

    confirm = client.get(end_url)
    assert confirm.status_code == 200
    assert "Yes, end the session" in text(confirm)
    assert LiveSession.objects.get(pk=session.pk).state == LiveState.LIVE

    response = client.post(end_url, follow=True)
    session.refresh_from_db()
    assert session.state == LiveState.ENDED
    assert session.ended_at is not None
    page = text(response)
    assert response.redirect_chain[-1][0] == reverse("live_sessions:edit", args=[session.pk])
    assert "The session was ended." in page
    assert '<dd id="live-state"><span class="w-status ">Ended</span>' in page
    assert f'href="{end_url}"' not in page


def test_ending_a_session_that_already_ended_changes_nothing():
    ended_at = timezone.now() - timedelta(hours=1)
    session = make_session(state=LiveState.ARCHIVED, ended_at=ended_at)
    response = editor_client().post(reverse("live_sessions:end", args=[session.pk]), follow=True)
    session.refresh_from_db()
    assert (session.state, session.ended_at) == (LiveState.ARCHIVED, ended_at)
    assert "The session had already ended." in text(response)


def test_staff_cannot_end_a_session():
    session = make_session(state=LiveState.LIVE)
    staff = logged_in(member("ohjaaja", STAFF_GROUP))
    staff.post(reverse("live_sessions:end", args=[session.pk]))
    assert LiveSession.objects.get(pk=session.pk).state == LiveState.LIVE


def test_ending_needs_the_csrf_token():
    session = make_session(state=LiveState.LIVE)
    client = editor_client(enforce_csrf_checks=True)
    end_url = reverse("live_sessions:end", args=[session.pk])

    assert client.post(end_url).status_code == 403
    assert LiveSession.objects.get(pk=session.pk).state == LiveState.LIVE

    confirm = text(client.get(end_url))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm)[1]
    client.post(end_url, {"csrfmiddlewaretoken": token})
    assert LiveSession.objects.get(pk=session.pk).state == LiveState.ENDED


def test_editors_dashboard_lists_sessions_live_now_and_recent_failures():
    make_session(title="Tuolijumppa nyt", state=LiveState.LIVE, went_live_at=timezone.now())
    make_session(
        title="Eilen kaatunut",
        state=LiveState.FAILED,
        ended_at=timezone.now() - timedelta(days=1),
        failure_reason="The disk filled up.",
    )
    make_session(
        title="Kauan sitten kaatunut",
        state=LiveState.FAILED,
        ended_at=timezone.now() - timedelta(days=8),
    )
    home = text(editor_client().get(reverse("wagtailadmin_home")))
    assert "Tuolijumppa nyt" in home
    assert "Eilen kaatunut" in home and "The disk filled up." in home
    assert "Kauan sitten kaatunut" not in home

    staff_home = text(logged_in(member("ohjaaja", STAFF_GROUP)).get(reverse("wagtailadmin_home")))
    assert "Tuolijumppa nyt" not in staff_home
