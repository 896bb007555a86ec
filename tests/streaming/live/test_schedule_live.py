"""Scheduling from the command line: one JSON object operators and checks can use."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from streaming.live.keys import issue_key, session_for_key
from streaming.models import LiveSession, LiveState

pytestmark = pytest.mark.django_db


def schedule(*args) -> dict:
    out = StringIO()
    call_command("schedule_live", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_schedule_live_prints_one_json_object_with_a_working_key_and_status():
    result = schedule("--title", "Tuolijumppa", "--start", "now", "--duration", "30")
    assert set(result) == {"id", "rtmp_url", "stream_key", "status_url", "page_url"}
    assert result["rtmp_url"] == "rtmp://127.0.0.1:1935/live"
    session = LiveSession.objects.get(pk=result["id"])
    assert session_for_key(result["stream_key"]) == session
    assert abs((session.starts_at - timezone.now()).total_seconds()) < 60

    path = result["status_url"].split("://", 1)[1].split("/", 1)[1]
    status = Client().get("/" + path).json()
    assert status["state"] == LiveState.SCHEDULED
    assert status["starts_at"] == session.starts_at.isoformat()
    page = result["page_url"].split("://", 1)[1].split("/", 1)[1]
    assert "/" + page == status["page"] == f"/fi/live/{session.public_id}/"
    assert Client().get("/" + page).status_code == 200


def test_schedule_live_takes_helsinki_local_time():
    result = schedule("--title", "Kahvila", "--start", "2026-12-01T10:00", "--duration", "60")
    session = LiveSession.objects.get(pk=result["id"])
    assert timezone.localtime(session.starts_at).isoformat() == "2026-12-01T10:00:00+02:00"


def test_bad_start_or_duration_is_refused_with_a_reason():
    with pytest.raises(CommandError, match="ISO 8601"):
        schedule("--title", "X", "--start", "huomenna", "--duration", "30")
    with pytest.raises(CommandError, match="duration"):
        schedule("--title", "X", "--start", "now", "--duration", "0")
    assert not LiveSession.objects.exists()


def test_keys_are_random_stored_hashed_and_rotation_stops_the_old_one():
    result = schedule("--title", "Tuolijumppa", "--start", "now", "--duration", "30")
    session = LiveSession.objects.get(pk=result["id"])
    old_key = result["stream_key"]
    secret = old_key.split(".", 1)[1]
    assert len(secret) >= 32  # 192 random bits, URL-safe
    assert secret not in session.key_hash
    one_off = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert session_for_key(old_key.replace(secret, one_off)) is None

    new_key = issue_key(session)
    assert new_key != old_key
    assert session_for_key(old_key) is None
    assert session_for_key(new_key) == session
    assert session_for_key("no-dot") is None
    assert session_for_key(f"{session.public_id}") is None
