"""Live packaging end to end: nginx-rtmp, an ffmpeg publisher, the supervisor and its packagers.

One session is followed from the first publish to its recording: the live ladder and windows,
a packager killed mid-stream, a reconnect within the grace period, and the archive after it.
"""

import json
import os
import signal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from streaming.conf import setting
from streaming.live.keys import issue_key
from streaming.live.supervisor import DISK_FULL, _reason
from streaming.models import LiveRun, LiveSession, LiveState, VideoStatus
from tests.streaming.live.test_ingest import wait_until

live = pytest.mark.django_db(transaction=True)


def make_session(**fields):
    session = LiveSession.objects.create(
        title="Tuolijumppa", starts_at=timezone.now(), planned_minutes=30, **fields
    )
    return session, issue_key(session)


def live_file(session, name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / session.media_prefix / name


def status(session) -> dict:
    return json.loads(Client().get(f"/live/{session.public_id}/status/").content)


def segments_in(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.endswith(".m4s")]


@live
def test_a_session_is_packaged_survives_a_crash_and_a_reconnect_and_is_archived(
    packaging, ingest, migrated_db, settings
):
    settings.KOTIKANAVA_LIVE_GRACE_SECONDS = 3
    session, key = make_session()
    publisher = ingest.publish(key, seconds=40, size="640x360")

    # The live ladder: the recording rungs up to the source's size, and the sound alone.
    master = live_file(session, "master.m3u8")
    assert wait_until(master.exists, timeout=20), "no live master playlist"
    text = master.read_text()
    assert "RESOLUTION=416x234" in text and "RESOLUTION=640x360" in text
    assert "RESOLUTION=1280x720" not in text, "never above the source's size"
    assert 'CODECS="mp4a.40.2"' in text, "the listen-only variant"
    window = live_file(session, "v234/live.m3u8").read_text()
    assert "#EXT-X-PROGRAM-DATE-TIME:" in window and "#EXT-X-ENDLIST" not in window
    assert status(session)["live_playlist"] == f"/media/{session.media_prefix}master.m3u8"
    assert str(key.split(".")[1]) not in text + window
    served = Client().get(f"/media/{session.media_prefix}v234/live.m3u8")
    assert served.status_code == 200 and served["Cache-Control"] == "public, max-age=1"

    # A sliding window of 2 s segments, while the full list grows for the archive.
    window_size = setting("LIVE_WINDOW_SEGMENTS")
    full = live_file(session, "r1/v234/index.m3u8")
    assert wait_until(lambda: len(segments_in(full.read_text())) > window_size + 1, timeout=30)
    assert len(segments_in(live_file(session, "v234/live.m3u8").read_text())) == window_size

    # The packager dies while the publisher still sends: a new run continues the session.
    (first,) = packaging.runs.values()
    os.killpg(first.process.pid, signal.SIGKILL)
    assert wait_until(lambda: LiveRun.objects.filter(session=session).count() == 2, timeout=10)
    assert wait_until(
        lambda: "#EXT-X-DISCONTINUITY\n" in live_file(session, "v234/live.m3u8").read_text(),
        timeout=15,
    )
    window = live_file(session, "v234/live.m3u8").read_text()
    assert '#EXT-X-MAP:URI="../r2/v234/init.mp4"' in window

    # The publisher drops and comes back within the grace period: still the same session.
    publisher.send_signal(signal.SIGKILL)
    publisher.wait()
    session.refresh_from_db()
    assert session.state == LiveState.LIVE
    again = ingest.publish(key, seconds=6, log_name="again.log", size="320x180")
    assert wait_until(lambda: LiveRun.objects.filter(session=session).count() == 3, timeout=15)
    assert again.wait(timeout=20) == 0

    # Gone for the grace period: the session ends and its recording is made of every run.
    assert wait_until(
        lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED, timeout=60
    )
    session.refresh_from_db()
    video = session.video
    assert video.status == VideoStatus.READY
    runs = LiveRun.objects.filter(session=session).order_by("number")
    recorded = sum(run.segments for run in runs)
    assert recorded * 2 - 6 <= video.duration <= recorded * 2 + 2
    assert all(run.ended_at for run in runs)
    body = status(session)
    assert body["state"] == "archived" and body["live_playlist"] is None
    assert body["video_playlist"] == video.master_url
    playlist = Path(settings.MEDIA_ROOT) / video.output_prefix / "v234" / "index.m3u8"
    # Every run that recorded anything is joined at a discontinuity (on a loaded machine a run
    # killed early may hold no complete segment, and then adds nothing to the recording).
    recording_runs = [run for run in runs if run.segments]
    assert len(recording_runs) >= 2
    joins = playlist.read_text().count("#EXT-X-DISCONTINUITY")
    assert joins == len(recording_runs) - 1, "the runs, one recording"
    # The host came back from a smaller camera: its run lends its one rung to the larger ones.
    top = (Path(settings.MEDIA_ROOT) / video.output_prefix / "v360" / "index.m3u8").read_text()
    assert "../r3/v180/init.mp4" in top
    # No rung of one size runs through the whole session, so there is no offline MP4 to offer.
    assert video.download_url == ""


@live
def test_a_stream_ffmpeg_cannot_read_fails_the_session_with_a_reason(
    packaging, ingest, migrated_db, settings, tmp_path
):
    session, key = make_session()
    # Sound only: no picture to make a ladder of.
    ingest._start(
        ["ffmpeg", "-nostdin", "-hide_banner", "-re", "-f", "lavfi", "-i", "sine", "-t", "30"]
        + ["-c:a", "aac", "-f", "flv", f"{ingest.url}/{key}"],
        "sound-only.log",
    )
    assert wait_until(
        lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.FAILED, timeout=60
    )
    session.refresh_from_db()
    assert "H.264" in session.failure_reason
    assert status(session)["state"] == "failed"


@live
def test_an_editor_ending_the_session_stops_the_stream_and_archives_it(
    packaging, ingest, migrated_db, settings
):
    from streaming.live import lifecycle

    session, key = make_session()
    publisher = ingest.publish(key, seconds=60)
    assert wait_until(lambda: live_file(session, "master.m3u8").exists(), timeout=20)
    assert wait_until(
        lambda: LiveRun.objects.filter(session=session, segments__gte=2).exists(), timeout=20
    )
    lifecycle.end_session(session.pk, timezone.now(), "ended by an editor")
    assert wait_until(
        lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED, timeout=30
    )
    session.refresh_from_db()
    assert session.video.duration >= 4
    # nginx drops the publisher at its next heartbeat (every 10 s): the session is over.
    assert publisher.wait(timeout=25) != 0
    assert not live_file(session, "master.m3u8").exists(), "the live folder went with the archive"


@live
def test_a_publisher_back_after_the_grace_period_makes_a_second_recording(
    packaging, ingest, migrated_db, settings
):
    settings.KOTIKANAVA_LIVE_GRACE_SECONDS = 1
    session, key = make_session()
    archived = lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED  # noqa: E731
    assert ingest.publish(key, seconds=5).wait(timeout=20) == 0
    assert wait_until(archived, timeout=30)
    first = LiveSession.objects.get(pk=session.pk).video

    assert ingest.publish(key, seconds=5, log_name="later.log").wait(timeout=20) == 0
    assert wait_until(
        lambda: archived() and LiveSession.objects.get(pk=session.pk).video_id != first.pk,
        timeout=30,
    )
    session.refresh_from_db()
    second = session.video
    assert session.state == LiveState.ARCHIVED
    first.refresh_from_db()
    assert first.status == second.status == VideoStatus.READY
    assert first.duration < 8 and second.duration < 8, "each recording holds only its own part"


@live
def test_a_full_disk_stops_the_session_cleanly_and_keeps_what_was_recorded(
    packaging, ingest, migrated_db, settings
):
    session, key = make_session()
    publisher = ingest.publish(key, seconds=60)
    assert wait_until(
        lambda: LiveRun.objects.filter(session=session, segments__gte=2).exists(), timeout=25
    )
    # The real free space of the packagers' disk is now below the limit.
    settings.KOTIKANAVA_LIVE_MIN_FREE_BYTES = 1 << 60
    recorded = lambda: LiveSession.objects.filter(  # noqa: E731
        pk=session.pk, video__status=VideoStatus.READY
    ).exists()
    assert wait_until(recorded, timeout=30)
    session.refresh_from_db()
    assert session.state == LiveState.ARCHIVED, "what was recorded became the recording"
    assert session.failure_reason == _reason(DISK_FULL), "and editors still see why it stopped"
    assert session.video.status == VideoStatus.READY and session.video.duration >= 4
    assert publisher.wait(timeout=25) != 0, "nginx dropped the publisher of the failed session"


@live
def test_a_restarted_supervisor_adopts_the_live_and_it_goes_on(
    ingest, migrated_db, settings, tmp_path
):
    import threading

    from streaming.live.supervisor import Supervisor

    settings.KOTIKANAVA_RTMP_PORT = ingest.port
    session, key = make_session()
    publisher = ingest.publish(key, seconds=40)
    crashed, stop = Supervisor(work_dir=tmp_path / "work"), threading.Event()
    thread = threading.Thread(target=crashed.run_forever, args=(stop,), daemon=True)
    thread.start()
    assert wait_until(
        lambda: LiveRun.objects.filter(session=session, segments__gte=2).exists(), timeout=25
    )
    (orphan,) = crashed.runs.values()
    crashed.runs.clear()  # it dies without stopping its ffmpeg
    stop.set()
    thread.join(timeout=10)
    assert orphan.process.poll() is None, "its ffmpeg outlived it"

    restarted, stop = Supervisor(work_dir=tmp_path / "work"), threading.Event()
    thread = threading.Thread(target=restarted.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: orphan.process.poll() is not None, timeout=10)
        assert wait_until(
            lambda: LiveRun.objects.filter(session=session, number=2, segments__gte=2).exists(),
            timeout=25,
        )
        first = LiveRun.objects.get(session=session, number=1)
        assert first.ended_at and first.segments >= 2, "what the first run wrote is kept"
        assert publisher.poll() is None
        session.refresh_from_db()
        assert session.state == LiveState.LIVE
    finally:
        stop.set()
        thread.join(timeout=30)


@live
def test_what_was_received_is_archived_when_the_ingest_server_dies(
    packaging, ingest, migrated_db, settings
):
    settings.KOTIKANAVA_LIVE_GRACE_SECONDS = 1
    # Just over nginx's heartbeat interval (10 s), so only a dead server's publisher is silent.
    settings.KOTIKANAVA_LIVE_PUBLISHER_STALE_SECONDS = 12
    session, key = make_session()
    ingest.publish(key, seconds=60)
    assert wait_until(
        lambda: LiveRun.objects.filter(session=session, segments__gte=3).exists(), timeout=25
    )
    # nginx dies: no on_publish_done will ever come for this publisher.
    os.killpg(ingest.server.pid, signal.SIGKILL)
    assert wait_until(
        lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED, timeout=60
    )
    session.refresh_from_db()
    assert session.video.status == VideoStatus.READY and session.video.duration >= 6
