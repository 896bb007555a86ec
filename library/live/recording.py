"""Where clients watch a session's recording: a page that is live and public, nothing less.

The recording itself is a `Video` that may be played only through pages clients may see; until
an editor has published its page, clients are told it comes after review.
"""

from wagtail.models import Page

from library.models import LiveRecordingPage
from library.wagtail_hooks import content_pages_using_videos
from streaming.models import LiveSession


def recording_page(session: LiveSession) -> Page | None:
    """The page drafted for the session once an editor published it, else any published page
    showing its recording; in the active language where it has been translated."""
    if not session.video_id:
        return None
    published = Page.objects.live().public()
    drafted = LiveRecordingPage.objects.filter(video=session.video_id).values_list(
        "page", flat=True
    )
    page = published.filter(pk__in=drafted.exclude(page=None)).first()
    if page is None:
        showing = content_pages_using_videos([session.video_id])
        page = published.filter(pk__in=showing.values("pk")).order_by("path").first()
    return page.localized if page else None
