"""Archiving a finished live session: its recorded segments become a ready video, unencoded.

The session folders are made by real ffmpeg as the packager writes them: run 1 from a 640x360
source (v234 and v360), run 2, after a reconnect, from a 416x234 one (v234 only).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Collection

from streaming.live import archive
from streaming.live.events import session_archived
from streaming.models import ArchivePolicy, LiveRun, LiveSession, LiveState, Video, VideoStatus
from streaming.tasks import archive_live_session
from tests.streaming.live.recorded_runs import record_run, rung

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

RUN_1 = [rung(234, 416, 234), rung(360, 640, 360, max_kbps=365)]
RUN_2 = [rung(234, 416, 234)]
RUN_1_SECONDS, RUN_2_SECONDS = 8, 6
TOTAL = RUN_1_SECONDS + RUN_2_SECONDS


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """Both runs, made once: r1 ended cleanly, r2 ended cleanly, r2crash lost its end tag."""
    folder = tmp_path_factory.mktemp("recorded")
    record_run(folder / "r1", RUN_1, RUN_1_SECONDS)
    record_run(folder / "r2", RUN_2, RUN_2_SECONDS)
    shutil.copytree(folder / "r2", folder / "r2crash")
    for playlist in (folder / "r2crash").glob("*/index.m3u8"):
        playlist.write_text(playlist.read_text().replace("#EXT-X-ENDLIST\n", ""))
    return folder


def ended_session(host=None, policy=ArchivePolicy.REVIEW, state=LiveState.ENDED) -> LiveSession:
    return LiveSession.objects.create(
        title="Tuolijumppa livenä",
        starts_at=timezone.now(),
        host=host,
        archive_policy=policy,
        state=state,
        ended_at=timezone.now(),
    )


def with_runs(session: LiveSession, recorded: Path, second="r2") -> LiveSession:
    """The runs' rows, and their folders in (local) storage."""
    live = Path(django_settings.MEDIA_ROOT) / session.media_prefix
    for number, (folder, rungs) in enumerate([("r1", RUN_1), (second, RUN_2)], start=1):
        LiveRun.objects.create(session=session, number=number, rungs=rungs, ended_at=timezone.now())
        shutil.copytree(recorded / folder, live / f"r{number}")
    return session


@pytest.fixture
def announcements():
    heard = []

    def receiver(sender, session, video, **kwargs):
        heard.append((sender, session.pk, video.pk))

    session_archived.connect(receiver)
    yield heard
    session_archived.disconnect(receiver)


def stored_path(name: str) -> Path:
    return Path(default_storage.path(name))


def probe(path: Path, *args: str) -> dict:
    command = ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-of", "json", *args]
    completed = subprocess.run([*command, str(path)], capture_output=True, check=True)
    return json.loads(completed.stdout)


def picture_seconds(playlist: Path) -> float:
    """Seconds of picture (15 fps) a player reading the whole playlist gets."""
    packets = probe(
        playlist, "-select_streams", "v:0", "-count_packets",
        "-show_entries", "stream=nb_read_packets",
    )  # fmt: skip
    return int(packets["streams"][0]["nb_read_packets"]) / 15


def test_a_session_becomes_a_ready_video_that_plays_from_start_to_end(
    recorded, staff, announcements, django_capture_on_commit_callbacks
):
    session = with_runs(ended_session(host=staff), recorded)
    with django_capture_on_commit_callbacks(execute=True):
        video = archive.archive_session(session.pk)

    session.refresh_from_db()
    assert session.state == LiveState.ARCHIVED
    assert session.video == video
    assert video.status == VideoStatus.READY
    assert video.title == "Tuolijumppa livenä"
    assert video.uploaded_by == staff
    assert video.collection == Collection.get_first_root_node()
    assert video.output_prefix == f"videos/{video.pk}/1/"
    assert abs(video.duration - TOTAL) < 0.1
    assert (video.width, video.height) == (640, 360)
    assert announcements == [(LiveSession, session.pk, video.pk)]

    master_path = stored_path(video.output_path("master.m3u8"))
    master = master_path.read_text()
    assert 'CODECS="avc1.' in master and "AVERAGE-BANDWIDTH=" in master
    assert "RESOLUTION=640x360,FRAME-RATE=15.000" in master
    assert "RESOLUTION=416x234,FRAME-RATE=15.000" in master
    assert '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud"' in master
    assert master.rstrip().endswith("audio/index.m3u8")  # the listen-only variant
    for rendition in ("v234", "v360", "audio"):
        text = stored_path(video.output_path(f"{rendition}/index.m3u8")).read_text()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and text.rstrip().endswith("#EXT-X-ENDLIST")
        assert text.count("#EXT-X-DISCONTINUITY\n") == 1
        assert text.count("#EXT-X-MAP:") == 2
    # Run 2 had no v360: its v234 stands in, with its own init segment after the boundary.
    v360 = stored_path(video.output_path("v360/index.m3u8")).read_text()
    assert '#EXT-X-MAP:URI="../r2/v234/init.mp4"' in v360

    for rendition in ("v234", "v360"):
        playlist = stored_path(video.output_path(f"{rendition}/index.m3u8"))
        assert picture_seconds(playlist) == TOTAL
    # The master's lowest variant and its sound decode cleanly to the end. (ffmpeg 5.1 skips a
    # second EXT-X-MAP, so only a rung of one size in both runs decodes cleanly in ffmpeg;
    # hls.js honours the map, see DESIGN.md.)
    played = subprocess.run(
        ["ffmpeg", "-v", "error", "-protocol_whitelist", "file", "-i", str(master_path),
         "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert played.stderr == b""

    download = stored_path(video.output_path("download.mp4"))
    info = probe(download, "-show_entries", "format=duration:stream=codec_type,width")
    assert abs(float(info["format"]["duration"]) - TOTAL) < 0.5
    assert sorted(s["codec_type"] for s in info["streams"]) == ["audio", "video"]
    packets = probe(download, "-select_streams", "v:0", "-show_entries", "packet=dts_time")
    times = [float(p["dts_time"]) for p in packets["packets"]]
    assert all(0 < b - a < 0.2 for a, b in zip(times, times[1:], strict=False))  # no jump back
    assert times[-1] > TOTAL - 0.5
    assert video.output_manifest["download_size"] == download.stat().st_size

    assert stored_path(video.output_path("poster.jpg")).stat().st_size > 1000
    assert stored_path(video.output_path("storyboard.vtt")).exists()
    assert not stored_path(session.media_prefix).exists()  # the live folder is gone
    files = video.output_manifest["files"]
    assert all(stored_path(name).exists() for name in files)
    assert video.output_manifest["media_prefix"] == video.output_prefix

    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get(video.master_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == master
    segment = staff_client.get(f"/media/{video.output_prefix}r2/v234/seg_00000.m4s")
    assert segment.status_code == 200
    assert Client().get(video.master_url).status_code == 404  # no page shows it yet

    with django_capture_on_commit_callbacks(execute=True):
        again = archive.archive_session(session.pk)
    assert again == video
    assert announcements == [(LiveSession, session.pk, video.pk)]
    assert Video.objects.count() == 1


def test_segments_are_hard_links_not_copies(recorded):
    session = with_runs(ended_session(), recorded)
    segment = stored_path(f"{session.media_prefix}r1/v360/seg_00002.m4s")
    inode = segment.stat().st_ino
    video = archive.archive_session(session.pk)
    copied = stored_path(f"{video.output_prefix}r1/v360/seg_00002.m4s")
    assert copied.stat().st_ino == inode


def test_the_task_archives_the_session(recorded):
    session = with_runs(ended_session(), recorded)
    archive_live_session.enqueue(session.pk)
    session.refresh_from_db()
    assert session.state == LiveState.ARCHIVED
    assert session.video.status == VideoStatus.READY


def test_a_crashed_packagers_run_without_an_end_tag_is_archived(recorded):
    session = with_runs(ended_session(), recorded, second="r2crash")
    video = archive.archive_session(session.pk)
    assert video.status == VideoStatus.READY
    assert abs(video.duration - TOTAL) < 0.1
    text = stored_path(video.output_path("v234/index.m3u8")).read_text()
    assert text.count("#EXTINF") == TOTAL // 2


def test_a_session_not_to_be_archived_leaves_no_video_and_no_files(recorded):
    session = with_runs(ended_session(policy=ArchivePolicy.NONE), recorded)
    assert archive.archive_session(session.pk) is None
    session.refresh_from_db()
    assert session.state == LiveState.ENDED
    assert session.video is None
    assert not Video.objects.exists()
    assert not stored_path(session.media_prefix).exists()


def test_a_session_without_segments_fails_with_a_reason(tmp_path):
    session = ended_session()
    LiveRun.objects.create(session=session, number=1, rungs=RUN_2)
    folder = stored_path(session.media_prefix) / "r1" / "v234"
    folder.mkdir(parents=True)
    (folder / "index.m3u8").write_text("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n")
    assert archive.archive_session(session.pk) is None
    session.refresh_from_db()
    assert session.state == LiveState.FAILED
    # Stored in the site's language (Finnish), for the editors who read it.
    assert session.failure_reason == in_finnish(
        "Nothing was recorded: no picture or sound reached the server."
    )
    assert not Video.objects.exists()


def test_a_storage_failure_marks_the_session_failed_and_keeps_what_was_recorded(recorded):
    session = with_runs(ended_session(), recorded)
    # Storage cannot make the version's folder: a file stands where it must go.
    stored_path("videos").parent.mkdir(parents=True, exist_ok=True)
    stored_path("videos").write_text("in the way")
    assert archive.archive_session(session.pk) is None
    session.refresh_from_db()
    assert session.state == LiveState.FAILED
    assert session.failure_reason == in_finnish(
        "The recording could not be saved. Nothing recorded was lost: an administrator can "
        "try archiving again."
    )
    assert session.video is None
    assert not Video.objects.exists()
    assert stored_path(f"{session.media_prefix}r2/v234/seg_00002.m4s").exists()

    # Once storage is fixed, running the archive again makes the recording.
    stored_path("videos").unlink()
    video = archive.archive_session(session.pk)
    session.refresh_from_db()
    assert session.state == LiveState.ARCHIVED and session.video == video


def test_of_two_workers_claiming_the_session_one_wins(recorded):
    session = with_runs(ended_session(), recorded)
    first, second = LiveSession.objects.get(pk=session.pk), LiveSession.objects.get(pk=session.pk)
    winner = archive._claim(first)
    loser = archive._claim(second)
    assert winner.ours and not loser.ours
    assert loser.video == winner.video
    assert Video.objects.count() == 1


def test_a_dead_workers_claim_is_taken_over_once_stale(recorded):
    session = with_runs(ended_session(), recorded)
    dead = archive._claim(session).video
    assert archive.archive_session(session.pk) == dead  # still being worked on
    Video.objects.filter(pk=dead.pk).update(
        created_at=timezone.now() - archive.STALE_CLAIM - timezone.timedelta(seconds=1)
    )
    video = archive.archive_session(session.pk)
    assert video.pk != dead.pk and video.status == VideoStatus.READY
    assert not Video.objects.filter(pk=dead.pk).exists()


def test_on_s3_segments_are_copied_by_the_server(recorded, s3_server, bucket, tmp_path):
    session = ended_session()
    for number, (folder, rungs) in enumerate([("r1", RUN_1), ("r2", RUN_2)], start=1):
        LiveRun.objects.create(session=session, number=number, rungs=rungs)
        for path in (recorded / folder).rglob("*"):
            if path.is_file():
                key = f"{session.media_prefix}r{number}/{path.relative_to(recorded / folder)}"
                # A mark only the object itself carries: a server-side copy keeps it, a
                # download and upload through the app would not.
                s3_server.client.put_object(
                    Bucket=bucket, Key=key, Body=path.read_bytes(), Metadata={"made-by": "packager"}
                )

    video = archive.archive_session(session.pk)

    assert video.status == VideoStatus.READY
    listing = s3_server.client.list_objects_v2(Bucket=bucket, Prefix=video.output_prefix)
    keys = {item["Key"] for item in listing["Contents"]}
    assert set(video.output_manifest["files"]) == keys
    copied = s3_server.client.head_object(
        Bucket=bucket, Key=f"{video.output_prefix}r2/v234/seg_00001.m4s"
    )
    assert copied["Metadata"] == {"made-by": "packager"}
    master = s3_server.client.head_object(Bucket=bucket, Key=video.output_path("master.m3u8"))
    assert master["ContentType"] == "application/vnd.apple.mpegurl"
    assert "Contents" not in s3_server.client.list_objects_v2(
        Bucket=bucket, Prefix=session.media_prefix
    )

    download = tmp_path / "download.mp4"
    s3_server.client.download_file(bucket, video.output_path("download.mp4"), str(download))
    duration = float(probe(download, "-show_entries", "format=duration")["format"]["duration"])
    assert abs(duration - TOTAL) < 0.5


def in_finnish(message: str) -> str:
    with translation.override("fi"):
        translated = translation.gettext(message)
    assert translated != message, "the message has a Finnish translation"
    return translated


@pytest.mark.django_db(transaction=True)
def test_an_archived_session_has_no_live_folder_left(migrated_db, recorded):
    """Whoever sees "archived" (the library's draft, a returning publisher) finds the live
    folder gone: a publisher resumed then must not lose its new run to a late deletion.
    Committed for real, so the announcement comes when it would in production."""
    session = with_runs(ended_session(), recorded)
    live = stored_path(session.media_prefix)
    seen = []

    def receiver(sender, session, video, **kwargs):
        state = LiveSession.objects.get(pk=session.pk).state
        seen.append((state, Video.objects.get(pk=video.pk).status, live.exists()))

    session_archived.connect(receiver)
    try:
        archive.archive_session(session.pk)
    finally:
        session_archived.disconnect(receiver)
    assert seen == [(LiveState.ARCHIVED, VideoStatus.READY, False)]


def test_a_worker_dying_after_publishing_is_finished_by_the_next_run(
    recorded, announcements, monkeypatch, django_capture_on_commit_callbacks
):
    session = with_runs(ended_session(), recorded)
    finish = archive._finish

    def dies(*args):
        raise SystemExit("the worker was stopped")

    monkeypatch.setattr(archive, "_finish", dies)
    with pytest.raises(SystemExit):
        archive.archive_session(session.pk)
    session.refresh_from_db()
    assert session.state == LiveState.ENDED and session.video.status == VideoStatus.PROCESSING
    assert stored_path(session.media_prefix).exists()

    monkeypatch.setattr(archive, "_finish", finish)
    with django_capture_on_commit_callbacks(execute=True):
        video = archive.archive_session(session.pk)
        archive.archive_session(session.pk)  # a third run finds nothing left to do
    session.refresh_from_db()
    assert session.state == LiveState.ARCHIVED and session.video == video
    assert video.status == VideoStatus.READY
    assert not stored_path(session.media_prefix).exists()
    assert announcements == [(LiveSession, session.pk, video.pk)]
