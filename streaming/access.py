"""Who may watch a video, and who may change what clients see of it.

A video has no audience of its own: it inherits one from the pages that show it. The media engine
knows nothing of page types, so the apps that put videos on pages answer the hook below with the
pages using given videos; the rules here are Wagtail's own (live, view restrictions, publish
permission), applied to those pages.
"""

from typing import NamedTuple

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from streaming.models import Video

# Hook: fn(video_ids: list[int]) -> a Page queryset (any state) of pages showing those videos.
PAGES_USING_VIDEOS = "kotikanava_pages_using_videos"


def live_pages_using(video_id: int) -> list[Page]:
    pages = []
    for finder in hooks.get_hooks(PAGES_USING_VIDEOS):
        pages.extend(finder([video_id]).filter(live=True))
    return pages


def may_manage(user, video_id: int) -> bool:
    """Staff see every version of a video they may change (their own, or any in a collection
    where they may change videos), published to clients or not (streaming.permissions)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    from streaming.permissions import may_preview

    video = Video.objects.filter(pk=video_id).select_related("collection").first()
    return video is not None and may_preview(user, video)


class Viewing(NamedTuple):
    allowed: bool  # this request may fetch the video's published files
    public: bool  # so may anyone: shared caches may keep them


def viewing(request, video_id: int) -> Viewing:
    """Asked for every segment, so it costs one query when a public page shows the video: the
    live pages using it, each marked by whether a restriction covers it (its own or an
    ancestor's). Only restricted pages then have their restrictions read and tried."""
    allowed = False
    for finder in hooks.get_hooks(PAGES_USING_VIDEOS):
        pages = finder([video_id]).filter(live=True).annotate(restricted=_restricted())
        for page in pages.only("pk", "path", "depth"):
            if not page.restricted:
                return Viewing(allowed=True, public=True)
            restrictions = page.get_view_restrictions()
            allowed = allowed or all(r.accept_request(request) for r in restrictions)
    return Viewing(allowed=allowed or may_manage(request.user, video_id), public=False)


def _restricted() -> Exists:
    """A view restriction on the page or an ancestor: one whose page's path begins its path."""
    own_prefix = Substr(OuterRef("path"), 1, Length("page__path"))
    return Exists(PageViewRestriction.objects.filter(page__path=own_prefix))


def changes_need_approval(video: Video, user) -> bool:
    """A change to a video that clients already watch waits for someone who may publish the
    pages showing it; anyone may change a video that no live page shows yet."""
    if not video.is_playable:
        return False
    live = live_pages_using(video.pk)
    if not live:
        return False
    if user is None:  # the system itself: an operator's command, a recovered job
        return False
    if not user.is_active:
        return True
    return not all(page.permissions_for_user(user).can_publish() for page in live)


def may_approve(user, video: Video) -> bool:
    return not changes_need_approval(video, user)
