"""Editors schedule live sessions in the admin and hand the host a key that is shown once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from streaming.live.keys import session_for_key
from streaming.models import LiveSession
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.users import member

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_key(html: str) -> str | None:
    match = re.search(r'<code id="live-key">([^<]+)</code>', html)
    return match[1] if match else None


def schedule(client) -> tuple[LiveSession, str]:
    response = client.post(
        reverse("live_sessions:add"),
        {
            "title": "Tuolijumppa tiistaina",
            "topic": "exercise",
            "starts_at": "2026-12-01 10:00",
            "planned_minutes": "45",
            "archive_policy": "review",
        },
        follow=True,
    )
    assert response.status_code == 200
    return LiveSession.objects.get(title="Tuolijumppa tiistaina"), response.content.decode()


def test_editor_schedules_a_session_and_sees_its_key_once():
    editor = logged_in(member("toimittaja", EDITORS_GROUP))
    session, page = schedule(editor)
    key = shown_key(page)
    assert key and session_for_key(key) == session
    assert "rtmp://127.0.0.1:1935/live" in page
    assert key not in session.key_hash

    again = editor.get(reverse("live_sessions:edit", args=[session.pk])).content.decode()
    assert shown_key(again) is None


def test_rotating_the_key_stops_the_old_one():
    editor = logged_in(member("toimittaja", EDITORS_GROUP))
    session, page = schedule(editor)
    old_key = shown_key(page)
    response = editor.post(reverse("live_sessions:rotate_key", args=[session.pk]), follow=True)
    new_key = shown_key(response.content.decode())
    assert new_key and new_key != old_key
    assert session_for_key(old_key) is None
    assert session_for_key(new_key) == session


def test_staff_cannot_schedule_or_rotate_keys():
    editor = logged_in(member("toimittaja", EDITORS_GROUP))
    session, page = schedule(editor)
    key = shown_key(page)
    staff = logged_in(member("ohjaaja", STAFF_GROUP))
    staff.post(
        reverse("live_sessions:add"),
        {"title": "Oma", "topic": "cafe", "starts_at": "2026-12-01 10:00", "planned_minutes": "30",
         "archive_policy": "review"},
    )  # fmt: skip
    staff.post(reverse("live_sessions:rotate_key", args=[session.pk]))
    assert list(LiveSession.objects.values_list("title", flat=True)) == ["Tuolijumppa tiistaina"]
    assert session_for_key(key) == session
