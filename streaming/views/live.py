"""A live session's state as JSON, polled by its page and by operators' checks."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from streaming.live.access import may_see, may_watch_live
from streaming.live.addresses import page_path
from streaming.live.packaging import LIVE_MASTER
from streaming.models import LiveSession, LiveState, LiveVisibility


@require_safe
def session_status(request, public_id):
    session = get_object_or_404(LiveSession.objects.select_related("video"), public_id=public_id)
    if not may_see(request, session):
        raise Http404
    response = JsonResponse(status_of(request, session))
    # A public session's status is the same for everyone (status_of never asks who is asking
    # there), so a proxy may answer a class's hundreds of pollers from one copy a second.
    shared = session.visibility == LiveVisibility.PUBLIC
    response["Cache-Control"] = "public, max-age=1" if shared else "private, no-cache"
    return response


def status_of(request, session: LiveSession) -> dict:
    # Offered once the packager has written a segment of every rendition (and so the master):
    # a player given it earlier would meet a 404.
    live = (
        session.state == LiveState.LIVE
        and may_watch_live(request, session)
        and session.runs.filter(segments__gt=0).exists()
    )
    video = session.video
    return {
        "state": session.state,
        "starts_at": session.starts_at.isoformat(),
        "live_playlist": _media_url(session.media_prefix + LIVE_MASTER) if live else None,
        "video_playlist": (video.master_url or None) if video else None,
        "page": page_path(session),
    }


def _media_url(name: str) -> str:
    return reverse("media", kwargs={"path": name})
