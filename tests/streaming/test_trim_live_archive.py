"""Trimming a live archive: its playlists span runs (a discontinuity and an init segment per
run) and point into the session's run folders; the trim keeps all of that, unencoded.

The session is recorded by real ffmpeg as the packager writes it (see the live archive tests):
run 1 for 8 s at two rungs, run 2 after a reconnect for 6 s at one.
"""

import pytest

from streaming import trim
from streaming.live import archive
from tests.streaming.live.test_archive import (  # noqa: F401 (the fixture is used by name)
    TOTAL,
    ended_session,
    picture_seconds,
    recorded,
    stored_path,
    with_runs,
)
from tests.streaming.test_trim import length, media_playlists, probed_duration, segment_paths

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_a_live_archive_is_trimmed_across_its_runs(recorded):  # noqa: F811
    video = archive.archive_session(with_runs(ended_session(), recorded).pk)
    assert video.duration == pytest.approx(TOTAL, abs=0.2)
    full_prefix = video.output_prefix

    assert trim.publish_trim(video.pk, 4, 12)

    video.refresh_from_db()
    assert video.duration == pytest.approx(8, abs=0.2)
    for playlist, text in media_playlists(video).items():
        assert length(text) == pytest.approx(8, abs=0.2)
        assert all(path.startswith(full_prefix) for path in segment_paths(playlist, text))
        if "v234" in playlist:
            # Both runs are in it: the second after a discontinuity, with its own init segment.
            assert text.count("#EXT-X-MAP:") == 2 and "#EXT-X-DISCONTINUITY" in text
            assert picture_seconds(stored_path(playlist)) == pytest.approx(8, abs=0.2)
    download = stored_path(video.output_path("download.mp4"))
    assert probed_duration(download) == pytest.approx(8, abs=0.3)

    assert trim.restore_full_length(video.pk)
    video.refresh_from_db()
    assert video.duration == pytest.approx(TOTAL, abs=0.2)
