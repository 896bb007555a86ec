"""The media engine's settings, read in one place, each with the default the app runs with.

Every name is `KOTIKANAVA_<NAME>` in Django settings; a project sets only what it changes
(studio/settings.py maps the environment variables of the same names onto them).
"""

import tempfile
from pathlib import Path

from django.conf import settings

from streaming.pipeline.config import PipelineConfig

GIB = 1024**3

DEFAULTS = {
    # Processing (streaming.jobs, streaming.recovery, streaming.workdir).
    "PIPELINE": {},  # overrides of streaming.pipeline.config.PipelineConfig
    "WORK_DIR": None,  # local temporary files of jobs: the system's temp dir
    "STALL_SECONDS": 120,  # a job whose heartbeat is this old is taken for dead
    # Delivery (streaming.delivery).
    "MEDIA_ACCEL_PREFIX": "",  # nginx's internal location for X-Accel-Redirect
    "MEDIA_SIGNED_URL_SECONDS": 6 * 3600,  # also the lifetime of nginx's signed links
    # Shared with nginx's secure_link: public segments then bypass the app (streaming.delivery).
    "MEDIA_LINK_SECRET": "",
    # Uploads (streaming.uploads, streaming.intake).
    "UPLOAD_EXTENSIONS": None,  # None: streaming.intake.DEFAULT_EXTENSIONS
    "MAX_UPLOAD_BYTES": 8 * GIB,
    "UPLOAD_DIR": None,  # None: uploads/ in the state dir
    "UPLOAD_CHUNK_BYTES": 4 * 1024**2,
    "UPLOAD_STALE_SECONDS": 2 * 86400,
    "UPLOAD_MAX_OPEN_SESSIONS": 10,
    "UPLOAD_DISK_RESERVE_BYTES": GIB,
    "UPLOAD_LEASE_SECONDS": 120,  # a moving upload holds its disk this long after its last chunk
    # Disk one person's moving uploads may hold at once (None: one largest file's worth).
    "UPLOAD_MAX_RESERVED_BYTES": None,
    # Retention (streaming.retention): days a ready video keeps its original (0: for ever; trim
    # needs none, processing again does), hours a failed upload's original is kept (0: for ever).
    "ORIGINAL_RETENTION_DAYS": 0,
    "FAILED_UPLOAD_RETENTION_HOURS": 7 * 24,
    # How many reverse proxies of our own add to X-Forwarded-For (streaming.client_ip).
    "TRUSTED_PROXIES": 0,
    # Live (streaming.live).
    "RTMP_HOST": "127.0.0.1",
    "RTMP_PORT": 1935,
    "RTMP_APP": "live",
    "INGEST_CALLBACK_URL": "http://127.0.0.1:8000",  # where nginx reaches this app's callbacks
    "INGEST_HOSTS": [],  # addresses besides loopback whose callbacks are believed
    "LIVE_EARLY_MINUTES": 30,  # a key works from this long before the start
    "LIVE_LATE_MINUTES": 30,  # until this long after the planned end
    "LIVE_PUBLISHER_STALE_SECONDS": 30,  # no on_update heartbeat this long: the publisher is gone
    "LIVE_GRACE_SECONDS": 120,  # a publisher back within this long continues the same session
    "LIVE_WINDOW_SEGMENTS": 6,  # 2 s segments in a viewer's sliding window
    "LIVE_MIN_FREE_BYTES": 512 * 1024**2,  # the packager stops cleanly below this free space
    "LIVE_WORK_DIR": None,  # packagers' local folder (None: live/ in the state dir)
}


def setting(name: str):
    """`settings.KOTIKANAVA_<name>`, or the engine's default for it."""
    return getattr(settings, f"KOTIKANAVA_{name}", DEFAULTS[name])


def pipeline_config() -> PipelineConfig:
    return PipelineConfig.from_mapping(setting("PIPELINE"))


def stall_seconds() -> int:
    return int(setting("STALL_SECONDS"))


def work_dir() -> Path:
    """Where jobs keep their temporary files (needs room for a few originals)."""
    return Path(setting("WORK_DIR") or tempfile.gettempdir())


def state_dir() -> Path:
    """The project's folder for state that is not media (the embedded default's var/)."""
    return Path(settings.STATE_DIR)
