"""The project's settings plus an unchecked media route, for benchmarks/media_access.py only."""

from studio.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.media_access_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
