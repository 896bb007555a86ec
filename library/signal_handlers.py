"""The library's answers to what the media engine announces (wired in `LibraryConfig.ready`)."""

import logging

from library.live.drafts import draft_recording_page

logger = logging.getLogger(__name__)


def draft_page_for_archived_session(sender, session, video, **kwargs):
    """Draft the recording's page and submit it for review.

    The archive is done and committed when this runs: whatever goes wrong here is logged and
    swallowed (its own transaction rolls back), so it can never undo or fail the archive. An
    editor can still make the page by hand from the video library.
    """
    try:
        draft_recording_page(session, video)
    except Exception:
        logger.exception("Could not draft a page for live session %s", session.public_id)


def connect():
    from streaming.live.events import session_archived
    from streaming.models import LiveSession

    session_archived.connect(
        draft_page_for_archived_session,
        sender=LiveSession,
        dispatch_uid="library.draft_page_for_archived_session",
    )
