"""Fixtures for the pipeline tests: tiny clips made with ffmpeg, and no database.

The pipeline needs no Django settings; a bare configuration is made only when none exists, so
that tests can read the plain-language messages staff would see.
"""

from pathlib import Path

import django
import pytest
from django.conf import settings

from tests.streaming import clips as clip_tools

if not settings.configured:
    settings.configure(USE_I18N=True, LANGUAGE_CODE="en")
    django.setup()

SECRET = b"KOTIKANAVA-SECRET-1234567890"


@pytest.fixture(scope="session")
def secret_bytes() -> bytes:
    return SECRET


@pytest.fixture(autouse=True)
def _isolated_settings():
    """Replaces the suite-wide settings fixture: these tests touch no settings or database."""


@pytest.fixture(scope="session", autouse=True)
def migration_data():
    """Replaces the suite-wide snapshot of the migrated database, which these tests never use
    (run on their own, they would otherwise set up a database for nothing)."""


@pytest.fixture(scope="session")
def make_clip():
    return clip_tools.make_clip


@pytest.fixture(scope="session")
def rotate():
    return clip_tools.rotate


@pytest.fixture(scope="session")
def run_ffmpeg():
    return clip_tools.ffmpeg


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def landscape(clips) -> Path:
    return clip_tools.make_clip(clips / "landscape.mp4", seconds=3, size="640x360")


@pytest.fixture(scope="session")
def small_clip(clips) -> Path:
    return clip_tools.make_clip(clips / "small.mp4")


@pytest.fixture
def secret(tmp_path) -> Path:
    """A local file an attacker would like to read through a crafted upload."""
    path = tmp_path / "secret.txt"
    path.write_bytes(SECRET * 100)
    return path
