"""Where a host streams to and where a session's state is read: one place for both."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from streaming.conf import setting
from streaming.models import LiveSession


def rtmp_url() -> str:
    """The ingest server's address as OBS and phone apps take it (the key goes separately)."""
    return f"rtmp://{setting('RTMP_HOST')}:{setting('RTMP_PORT')}/{setting('RTMP_APP')}"


def status_url(session: LiveSession) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("live_status", args=[session.public_id])


# The client page of a session, if an app provides one (the library does): a URL name, so the
# media engine needs no import of it.
SESSION_PAGE_URL_NAME = "live_session_page"


def page_path(session: LiveSession) -> str | None:
    try:
        return reverse(SESSION_PAGE_URL_NAME, kwargs={"public_id": session.public_id})
    except NoReverseMatch:
        return None


def page_url(session: LiveSession) -> str | None:
    path = page_path(session)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path if path else None
