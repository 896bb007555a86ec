from pathlib import Path

import pytest

from tests.streaming.clips import make_clip
from tests.streaming.s3 import S3Server


@pytest.fixture(scope="session")
def recording(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("media") / "recording.mp4", seconds=3)


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    yield server
    server.stop()
