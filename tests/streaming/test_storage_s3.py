"""Processing into S3-compatible storage: right content types, cache headers, whole versions."""

import pytest
from django.core.files import File

from streaming.jobs import run_processing
from streaming.models import Video, VideoStatus

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def stored_keys(s3_server, bucket, prefix=""):
    listing = s3_server.client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for item in listing.get("Contents", [])}


def upload(recording) -> Video:
    video = Video(title="Tuolijumppa")
    with recording.open("rb") as handle:
        video.original.save("tuolijumppa.mp4", File(handle))
    return video


def test_ladder_lands_in_s3_with_content_types_and_cache_headers(s3_server, bucket, recording):
    video = upload(recording)
    run_processing(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.error_detail

    keys = stored_keys(s3_server, bucket, video.output_prefix)
    assert video.output_path("master.m3u8") in keys
    headers = {key: s3_server.client.head_object(Bucket=bucket, Key=key) for key in keys}
    by_suffix = {}
    for key, head in headers.items():
        by_suffix.setdefault(key.rsplit(".", 1)[-1], set()).add(
            (head["ContentType"], head["CacheControl"])
        )
    assert by_suffix["m3u8"] == {("application/vnd.apple.mpegurl", "public, max-age=60")}
    immutable = "public, max-age=31536000, immutable"
    assert by_suffix["m4s"] == {("video/iso.segment", immutable)}
    assert ("video/mp4", immutable) in by_suffix["mp4"]
    # Viewers reach it through the app's access check, never straight from the bucket.
    assert video.master_url == f"/media/{video.output_path('master.m3u8')}"

    master = s3_server.client.get_object(Bucket=bucket, Key=video.output_path("master.m3u8"))
    for line in master["Body"].read().decode().splitlines():
        uri = line.split('URI="')[1].split('"')[0] if 'URI="' in line else line
        if uri and not uri.startswith("#"):
            assert video.output_path(uri) in keys, uri


def test_reprocessing_switches_whole_versions_and_removes_the_old_one(s3_server, bucket, recording):
    video = upload(recording)
    run_processing(video)
    video.refresh_from_db()
    first_prefix = video.output_prefix
    first_keys = stored_keys(s3_server, bucket, first_prefix)
    assert first_keys

    run_processing(video)
    video.refresh_from_db()
    assert video.output_prefix != first_prefix
    assert stored_keys(s3_server, bucket, first_prefix) == set()
    assert video.output_path("master.m3u8") in stored_keys(s3_server, bucket, video.output_prefix)
    assert stored_keys(s3_server, bucket, "originals/")  # the original is never touched
