import errno
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import storages

from studio.roles import STAFF_GROUP
from tests.streaming.clips import make_clip
from tests.streaming.s3 import S3Server
from tests.streaming.upload_client import CHUNK
from tests.users import member


@pytest.fixture(scope="session")
def recording(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("media") / "recording.mp4", seconds=3)


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def bucket(settings, s3_server):
    """A fresh bucket on the S3 server, used as the default storage."""
    name = f"kotikanava-{uuid.uuid4().hex[:8]}"
    s3_server.client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(name)}
    return name


@pytest.fixture
def staff(db):
    """A member of the staff group (Sisällöntuottajat): may upload and edit videos."""
    return member("staff", STAFF_GROUP)


@pytest.fixture
def disk_full_at_master(monkeypatch) -> list[str]:
    """The media storage runs out of space when a new version's master playlist is saved, the
    last file a version stores. Yields the names saved before that, so a test can tell that
    the version had already stored files when it failed."""
    saved = []
    storage = storages["default"]  # what `default_storage` stands for
    save = storage._save

    def save_until_master(name, content):
        if name.endswith("/master.m3u8"):
            raise OSError(errno.ENOSPC, "No space left on device", name)
        saved.append(save(name, content))
        return saved[-1]

    monkeypatch.setattr(storage, "_save", save_until_master)
    return saved


@pytest.fixture
def worker_log(tmp_path):
    """The task workers' output, shown (as captured teardown output) when the test fails."""
    path = tmp_path / "worker.log"
    with path.open("w") as log:
        yield log
    print(path.read_text()[-6000:])


@pytest.fixture
def upload_settings(settings, tmp_path):
    """Uploads in a temporary folder in small chunks; tasks are recorded, not run."""
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.KOTIKANAVA_UPLOAD_CHUNK_BYTES = CHUNK
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
