"""A video's files, for those who may watch it (see `streaming.access`).

Viewers get the published version only; people who manage videos also get the others (a change
waiting for approval, a version being replaced).
"""

import re

from django.db.models.fields.json import KT

from streaming.access import may_manage, viewing
from streaming.delivery import deliver, download_filename, not_found
from streaming.live.access import may_watch_live
from streaming.models import LiveSession, LiveVisibility, Video
from streaming.pipeline.download import DOWNLOAD

VIDEO_FILE = re.compile(r"videos/(?P<video_id>\d+)/.+")


def serve_video_file(request, name: str):
    match = VIDEO_FILE.fullmatch(name)
    if not match:
        return not_found()
    video_id = int(match["video_id"])
    video = (
        Video.objects.filter(pk=video_id)
        .values(
            "title",
            "output_prefix",
            media_prefix=KT("output_manifest__media_prefix"),
            # A trimmed version lists segments of the full-length ladder (see streaming.trim).
            source_prefix=KT("output_manifest__trim__source__prefix"),
        )
        .first()
    )
    if video is None:
        return not_found()
    published = [
        prefix
        for prefix in (video["output_prefix"], video["media_prefix"], video["source_prefix"])
        if prefix
    ]
    if published and name.startswith(tuple(published)):
        access = viewing(request, video_id)
        allowed, public = access.allowed, access.public
    else:
        allowed, public = may_manage(request.user, video_id), False
    if not allowed:
        return not_found()
    filename = download_filename(video["title"]) if name.endswith("/" + DOWNLOAD) else ""
    return deliver(request, name, public=public, filename=filename)


LIVE_FILE = re.compile(r"live/(?P<public_id>[0-9a-f-]{36})/.+")


def serve_live_file(request, name: str):
    """A live session's segments and playlists: see `streaming.live.access`."""
    match = LIVE_FILE.fullmatch(name)
    session = match and LiveSession.objects.filter(public_id=match["public_id"]).first()
    if not session or not may_watch_live(request, session):
        return not_found()
    return deliver(request, name, public=session.visibility == LiveVisibility.PUBLIC)
