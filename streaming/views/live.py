"""A live session's state as JSON, polled by its page and by operators' checks.

Playlists appear here once live packaging and archiving exist; until then they are null.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from streaming.models import LiveSession


@require_safe
def session_status(request, public_id):
    session = get_object_or_404(LiveSession, public_id=public_id)
    response = JsonResponse(
        {
            "state": session.state,
            "starts_at": session.starts_at.isoformat(),
            "live_playlist": None,
            "video_playlist": None,
            "page": None,
        }
    )
    response["Cache-Control"] = "no-cache"
    return response
