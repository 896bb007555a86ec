"""RTMP ingest: who may publish, checked by the rules and by the real nginx-rtmp with ffmpeg."""

import logging
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from streaming.live import ingest as rules
from streaming.live import nginx
from streaming.live.keys import issue_key
from streaming.models import LivePublisher, LiveSession, LiveState


def make_session(starts_in=timedelta(0), minutes=30, state=LiveState.SCHEDULED):
    session = LiveSession.objects.create(
        title="Tuolijumppa",
        starts_at=timezone.now() + starts_in,
        planned_minutes=minutes,
        state=state,
    )
    return session, issue_key(session)


def wait_until(predicate, timeout=8.0):
    """Poll `predicate`; the in-memory test database, shared by the live server's and the
    supervisor's threads, may answer "table is locked" for a moment: that is a try again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:
            pass
        time.sleep(0.1)
    return predicate()


def open_publishers(session):
    return LivePublisher.objects.filter(session=session, ended_at__isnull=True)


# The rules, without nginx.


@pytest.mark.django_db
def test_a_valid_key_in_the_window_is_admitted_and_the_session_goes_live():
    session, key = make_session()
    decision = rules.admit(key, "7", "192.0.2.10", timezone.now())
    assert decision.admitted
    assert decision.publisher.client_id == "7"
    assert decision.publisher.address == "192.0.2.10"
    session.refresh_from_db()
    assert session.state == LiveState.LIVE


def _last_character_changed(key: str) -> str:
    return key[:-1] + ("y" if key.endswith("x") else "x")  # a random key may end in "x"


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", [_last_character_changed, lambda k: k.split(".")[0], str.upper])
def test_a_wrong_key_is_refused_and_logged_without_the_key(tamper, caplog):
    session, key = make_session()
    with caplog.at_level(logging.INFO, logger="streaming.live"):
        decision = rules.admit(tamper(key), "7", "192.0.2.10", timezone.now())
    assert not decision.admitted
    assert not LivePublisher.objects.exists()
    assert "192.0.2.10" in caplog.text
    assert key.split(".")[1] not in caplog.text
    session.refresh_from_db()
    assert session.state == LiveState.SCHEDULED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offset", "admitted"),
    [
        (-timedelta(minutes=31), False),
        (-timedelta(minutes=29), True),
        (timedelta(minutes=30 + 29), True),
        (timedelta(minutes=30 + 31), False),
    ],
)
def test_keys_work_only_from_30_minutes_before_until_30_after_the_planned_end(offset, admitted):
    session, key = make_session(minutes=30)
    assert rules.admit(key, "7", None, session.starts_at + offset).admitted is admitted


@pytest.mark.django_db
def test_the_window_comes_from_the_settings(settings):
    settings.KOTIKANAVA_LIVE_EARLY_MINUTES = 5
    session, key = make_session()
    assert not rules.admit(key, "7", None, session.starts_at - timedelta(minutes=6)).admitted


@pytest.mark.django_db
@pytest.mark.parametrize("state", [LiveState.ENDED, LiveState.FAILED])
def test_a_session_that_is_over_refuses_publishers(state):
    """Ended: its recording is being made; failed: editors must look at it first."""
    session, key = make_session(state=state)
    assert not rules.admit(key, "7", None, timezone.now()).admitted
    assert not LivePublisher.objects.exists()


@pytest.mark.django_db
def test_an_archived_session_resumes_in_its_window_unless_an_editor_ended_it(django_user_model):
    from streaming.models import Video

    session, key = make_session(state=LiveState.ARCHIVED)
    first = Video.objects.create(title="Tuolijumppa")
    LiveSession.objects.filter(pk=session.pk).update(
        video=first, ended_at=timezone.now(), archive_queued_at=timezone.now()
    )
    assert rules.admit(key, "7", None, timezone.now()).admitted
    session.refresh_from_db()
    assert session.state == LiveState.LIVE
    assert session.video is None and session.archive_queued_at is None, "a new recording follows"
    assert Video.objects.filter(pk=first.pk).exists(), "the first recording stays"

    ended, key = make_session(state=LiveState.ARCHIVED)
    editor = django_user_model.objects.create_user("toimittaja")
    LiveSession.objects.filter(pk=ended.pk).update(ended_by=editor)
    assert not rules.admit(key, "8", None, timezone.now()).admitted
    outside, key = make_session(starts_in=timedelta(hours=-3), minutes=30, state=LiveState.ARCHIVED)
    assert not rules.admit(key, "9", None, timezone.now()).admitted
    outside.refresh_from_db()
    assert outside.state == LiveState.ARCHIVED


@pytest.mark.django_db
def test_a_second_publisher_is_refused_and_its_end_leaves_the_first_alone():
    session, key = make_session()
    now = timezone.now()
    assert rules.admit(key, "1", None, now).admitted
    assert not rules.admit(key, "2", None, now + timedelta(seconds=5)).admitted
    assert rules.publish_done("2", key, now + timedelta(seconds=6)) is None
    assert list(open_publishers(session).values_list("client_id", flat=True)) == ["1"]

    assert rules.publish_done("1", key, now + timedelta(seconds=7)).ended_at is not None
    assert not open_publishers(session).exists()
    assert rules.admit(key, "3", None, now + timedelta(seconds=8)).admitted


@pytest.mark.django_db
def test_a_silent_publisher_is_taken_for_gone_and_a_new_one_admitted():
    session, key = make_session()
    now = timezone.now()
    assert rules.admit(key, "1", None, now).admitted
    assert rules.update("1", key, now + timedelta(seconds=20))
    assert not rules.admit(key, "2", None, now + timedelta(seconds=45)).admitted
    assert rules.admit(key, "2", None, now + timedelta(seconds=51)).admitted
    assert list(open_publishers(session).values_list("client_id", flat=True)) == ["2"]


@pytest.mark.django_db
def test_heartbeats_of_an_ended_session_drop_its_publisher():
    session, key = make_session()
    now = timezone.now()
    assert rules.admit(key, "1", None, now).admitted
    assert rules.update("99", key, now, publishing=False), "a reader's heartbeat is left alone"
    assert not rules.update("98", key, now), "a publisher without a row is dropped"
    LiveSession.objects.filter(pk=session.pk).update(state=LiveState.ENDED)
    assert not rules.update("1", key, now + timedelta(seconds=10))
    assert not open_publishers(session).exists()


# The callback endpoints.


def callback(client, call, key, clientid="5", addr="192.0.2.10"):
    data = {"app": "live", "name": key, "addr": addr, "clientid": clientid, "call": call}
    path = {"publish": "publish", "publish_done": "done"}.get(call, "update")
    return client.post(f"/live/ingest/{path}/", data)


@pytest.mark.django_db
def test_callbacks_from_loopback_admit_and_end_a_publisher():
    session, key = make_session()
    admitted = callback(Client(), "publish", key)
    # Admitted under the session's id: the packager reads it back without knowing the key.
    assert admitted.status_code == 302
    assert admitted["Location"] == str(session.public_id)
    assert callback(Client(), "publish", key, clientid="6").status_code == 403
    assert callback(Client(), "update_publish", key).status_code == 204
    assert callback(Client(), "update_play", key, clientid="8").status_code == 204
    assert callback(Client(), "update_publish", key, clientid="6").status_code == 403
    assert callback(Client(), "publish_done", key).status_code == 204
    assert not open_publishers(session).exists()


@pytest.mark.django_db
def test_forged_callbacks_from_another_address_are_refused(settings):
    session, key = make_session()
    forger = Client(REMOTE_ADDR="10.0.0.5")
    assert callback(forger, "publish", key).status_code == 403
    assert not LivePublisher.objects.exists()
    assert Client().get("/live/ingest/publish/").status_code == 405

    relayed = Client(HTTP_X_FORWARDED_FOR="10.0.0.5")
    assert callback(relayed, "publish", key).status_code == 403, "came through a reverse proxy"
    assert not LivePublisher.objects.exists()

    settings.KOTIKANAVA_INGEST_HOSTS = ["10.0.0.5"]
    assert callback(Client(REMOTE_ADDR="10.0.0.5"), "publish", key).status_code == 302


@pytest.mark.django_db
def test_callbacks_are_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    session, key = make_session()
    response = callback(Client(), "publish", key)
    assert response.status_code == 302 and response["Location"] == str(session.public_id)


@pytest.mark.django_db
def test_run_ingest_alone_writes_the_config_and_execs_nginx(settings, tmp_path, monkeypatch):
    _, key = make_session()
    assert rules.admit(key, "1", None, timezone.now()).admitted
    calls = []
    monkeypatch.setattr("os.execvp", lambda file, argv: calls.append(argv))
    settings.KOTIKANAVA_RTMP_PORT = 19350
    call_command("run_ingest", "--no-packager", stdout=open("/dev/null", "w"))  # noqa: SIM115
    conf = (tmp_path / "var" / "ingest" / "nginx.conf").read_text()
    assert "listen 127.0.0.1:19350;" in conf
    assert "on_publish http://127.0.0.1:8000/live/ingest/publish/;" in conf
    assert "$name" not in conf, "stream names are keys: never in the access log"
    assert calls == [nginx.command(nginx.config_from_settings())]
    assert calls[0][-2:] == ["-g", "daemon off;"]
    assert not LivePublisher.objects.filter(ended_at__isnull=True).exists(), "old rows closed"


# The real nginx-rtmp with ffmpeg publishers.

live = pytest.mark.django_db(transaction=True)


@live
def test_an_admitted_publisher_streams_and_loopback_reads_it(ingest, migrated_db, monkeypatch):
    heartbeats = []
    update = rules.update
    monkeypatch.setattr(rules, "update", lambda *a, **kw: heartbeats.append(kw) or update(*a, **kw))
    session, key = make_session()
    publisher = ingest.publish(key, seconds=12)
    assert wait_until(lambda: open_publishers(session).exists())
    session.refresh_from_db()
    assert session.state == LiveState.LIVE
    admitted = open_publishers(session).get()

    assert ingest.read(key, seconds=1).wait(timeout=10) != 0, "the key is no stream name"
    reader = ingest.read(str(session.public_id), seconds=1)
    assert reader.wait(timeout=10) == 0
    assert "Video: h264" in (ingest.log_dir / "reader.log").read_text()
    assert publisher.poll() is None

    # nginx's on_update heartbeat, every 10 s, moves last_seen_at.
    beat = lambda: open_publishers(session).get().last_seen_at > admitted.last_seen_at  # noqa: E731
    assert wait_until(beat, timeout=10)
    assert heartbeats[0] == {"publishing": True}
    assert publisher.wait(timeout=15) == 0
    assert wait_until(lambda: not open_publishers(session).exists())
    assert LivePublisher.objects.filter(session=session).count() == 1

    secret = key.split(".")[1]
    for log in ("access.log", "error.log"):
        assert secret not in (ingest.log_dir / "ingest" / log).read_text()


@live
@pytest.mark.parametrize("case", ["wrong key", "out of window"])
def test_a_wrong_or_out_of_window_key_is_refused(ingest, migrated_db, case):
    if case == "wrong key":
        session, key = make_session()
        key = key[:-2] + "xx"
    else:
        session, key = make_session(starts_in=timedelta(hours=2))
    publisher = ingest.publish(key, seconds=5)
    assert publisher.wait(timeout=5) != 0
    assert not LivePublisher.objects.exists()
    session.refresh_from_db()
    assert session.state == LiveState.SCHEDULED


@live
def test_a_second_publisher_is_refused_without_disturbing_the_first(ingest, migrated_db):
    session, key = make_session()
    first = ingest.publish(key, seconds=8)
    assert wait_until(lambda: open_publishers(session).exists())
    running = open_publishers(session).get()

    second = ingest.publish(key, seconds=4, log_name="second.log")
    assert second.wait(timeout=6) != 0
    reader = ingest.read(str(session.public_id), seconds=1)
    assert reader.wait(timeout=10) == 0, "the first publisher still streams"
    assert first.poll() is None
    assert list(open_publishers(session)) == [running]
    assert LivePublisher.objects.filter(session=session).count() == 1

    first.terminate()
    first.wait(timeout=5)
    assert wait_until(lambda: not open_publishers(session).exists())
