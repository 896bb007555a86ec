"""deploy/backup.sh and deploy/restore.sh, once through: a database with a processed video and
its files backed up, restored into a new database and folder (or bucket), where the app finds
it playable."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from streaming.models import Video
from tests.streaming.clips import make_clip
from tests.streaming.processed import processed_video
from tests.streaming.s3 import ACCESS, S3Server

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
# Run by the app on the restored copy: the video, its master playlist and every stored file.
CHECK = """
import json
from django.core.files.storage import default_storage as s
from streaming.models import Video
from streaming.pipeline.run import MASTER
v = Video.objects.get(pk={pk})
print(json.dumps({{
    "title": v.title, "status": v.status, "playable": v.is_playable,
    "master": s.open(v.output_path(MASTER)).read().decode(),
    "files": all(s.exists(name) for name in v.output_manifest["files"]),
    "original": s.exists(v.original.name),
}}))
"""


def database_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    port = params["PORT"] or 5432
    return f"postgres://{params['USER']}{password}@{params['HOST']}:{port}/{name}"


@pytest.fixture
def fresh_database():
    """An empty database on the same server, dropped afterwards."""
    name = f"kotikanava_restore_{uuid.uuid4().hex[:8]}"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(admin_url, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script: str, *args: str, **env: str) -> None:
    result = subprocess.run(
        [str(DEPLOY / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def processed_clip(tmp_path) -> Video:
    return processed_video(make_clip(tmp_path / "clip.mp4", seconds=2), "Aamujumppa")


def assert_app_finds_it_playable(video: Video, **env: str) -> None:
    found = subprocess.run(
        [sys.executable, str(MANAGE), "shell", "-c", CHECK.format(pk=video.pk)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    restored = json.loads(found.stdout.strip().splitlines()[-1])
    assert restored["title"] == "Aamujumppa" and restored["status"] == "ready"
    assert restored["playable"] and restored["files"] and restored["original"]
    assert restored["master"].startswith("#EXTM3U") and "#EXT-X-STREAM-INF" in restored["master"]


@pytest.mark.postgres
def test_backup_restores_into_a_new_database_and_folder_with_the_video_playable(
    migrated_db, settings, tmp_path, fresh_database
):
    video = processed_clip(tmp_path)
    backup = tmp_path / "backup"

    run(
        "backup.sh",
        str(backup),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        KOTIKANAVA_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    restored_media = tmp_path / "restored-media"
    run(
        "restore.sh",
        str(backup),
        DATABASE_URL=fresh_database,
        KOTIKANAVA_MEDIA_ROOT=str(restored_media),
    )

    assert_app_finds_it_playable(
        video, DATABASE_URL=fresh_database, KOTIKANAVA_MEDIA_ROOT=str(restored_media)
    )


@pytest.mark.postgres
@pytest.mark.skipif(shutil.which("aws") is None, reason="needs the aws command line tool")
def test_backup_of_an_s3_bucket_restores_into_a_new_bucket(
    migrated_db, settings, tmp_path, fresh_database
):
    s3 = S3Server()
    try:
        source, target = (f"kotikanava-{uuid.uuid4().hex[:8]}" for _ in range(2))
        for bucket in (source, target):
            s3.client.create_bucket(Bucket=bucket)
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage_settings(source)}
        video = processed_clip(tmp_path)
        s3_env = {
            "KOTIKANAVA_S3_ENDPOINT_URL": s3.endpoint,
            "KOTIKANAVA_S3_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": ACCESS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": ACCESS["aws_secret_access_key"],
        }
        backup = tmp_path / "backup"

        run(
            "backup.sh",
            str(backup),
            DATABASE_URL=database_url(connection.settings_dict["NAME"]),
            KOTIKANAVA_S3_BUCKET=source,
            **s3_env,
        )
        run(
            "restore.sh",
            str(backup),
            DATABASE_URL=fresh_database,
            KOTIKANAVA_S3_BUCKET=target,
            **s3_env,
        )

        assert_app_finds_it_playable(
            video, DATABASE_URL=fresh_database, KOTIKANAVA_S3_BUCKET=target, **s3_env
        )
    finally:
        s3.stop()
