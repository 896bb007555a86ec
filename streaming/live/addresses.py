"""Where a host streams to and where a session's state is read: one place for both."""

from django.conf import settings
from django.urls import reverse

from streaming.models import LiveSession


def rtmp_url() -> str:
    """The ingest server's address as OBS and phone apps take it (the key goes separately)."""
    return (
        f"rtmp://{settings.KOTIKANAVA_RTMP_HOST}:{settings.KOTIKANAVA_RTMP_PORT}"
        f"/{settings.KOTIKANAVA_RTMP_APP}"
    )


def status_url(session: LiveSession) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("live_status", args=[session.public_id])
