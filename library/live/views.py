"""A live session's client page, and the part of it that changes with the session's state.

The page renders its current state on the server (it works without script); `live.js` polls the
status JSON of `streaming` and, when the state changes, fetches the state panel again from here,
so every text stays server-side gettext and the recording's link is decided by the same rules.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from library.live.questions import questions_context
from library.live.recording import recording_page
from streaming.live.access import may_see
from streaming.models import ArchivePolicy, LiveSession, LiveState
from streaming.views.live import status_of

# How often an open page asks for the state (seconds); the script backs off when hidden.
DEFAULT_POLL_SECONDS = 5


@require_safe
def session_page(request, public_id):
    session = _visible_session(request, public_id)
    context = page_context(request, session) | questions_context(request, session)
    return _uncached(TemplateResponse(request, "library/live/session_page.html", context))


def page_context(request, session: LiveSession) -> dict:
    """The whole page's context but its question form (library.live.questions adds that)."""
    return panel_context(request, session) | {
        "status_url": reverse("live_status", kwargs={"public_id": session.public_id}),
        "panel_url": reverse("live_session_panel", kwargs={"public_id": session.public_id}),
        "poll_seconds": getattr(settings, "KOTIKANAVA_LIVE_POLL_SECONDS", DEFAULT_POLL_SECONDS),
    }


@require_safe
def session_panel(request, public_id):
    """Only the state panel, for the page's script to swap in without a reload."""
    session = _visible_session(request, public_id)
    context = panel_context(request, session)
    return _uncached(TemplateResponse(request, "library/live/includes/panel.html", context))


def panel_context(request, session: LiveSession) -> dict:
    archived = session.state == LiveState.ARCHIVED
    return {
        "session": session,
        "start_passed": session.starts_at <= timezone.now(),
        "live_playlist": status_of(request, session)["live_playlist"],
        "will_archive": session.archive_policy == ArchivePolicy.REVIEW,
        "recording": recording_page(session) if archived else None,
    }


def _visible_session(request, public_id) -> LiveSession:
    session = get_object_or_404(LiveSession.objects.select_related("video"), public_id=public_id)
    if not may_see(request, session):
        raise Http404
    return session


def _uncached(response):
    """The state changes while the page is open: never serve it from a cache."""
    patch_cache_control(response, private=True, no_cache=True)
    return response
