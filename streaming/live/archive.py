"""Turning a finished live session into a ready `Video`, without encoding anything again.

Called by the `archive_live_session` task once a session has ended and every packager run has
closed its files (a session that failed during the live is archived too: what was received is
kept). The recorded segments become the first version of a new video (`archive_version`); the
session then points at it, its live folder is deleted, and only then is it "archived" and
`session_archived` sent: "archived" means nothing of the live is left, so a publisher coming back
(`lifecycle.resume_session`) starts in an empty folder that no late deletion empties again.

Two workers may run it at once: the session is claimed by pointing it at a new video in one
conditional update, and the loser hands back the winner's video. A worker that died mid-way
leaves a claim that never becomes ready; after `STALE_CLAIM` another run takes it over. A
failure keeps the live folder (nothing recorded is lost) and marks the session failed with a
reason editors can act on; running the task again retries it.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Collection

from streaming.conf import pipeline_config
from streaming.live import storage_copy
from streaming.live.archive_plan import Plan, plan_recording, run_playlist_name
from streaming.live.archive_version import build_version
from streaming.live.events import session_archived
from streaming.models import ArchivePolicy, LiveSession, LiveState, Video, VideoStatus
from streaming.versions import reserve_prefix, switch
from streaming.workdir import JobFolder

logger = logging.getLogger("streaming.live")

# Sessions whose recording may be made: ended, or failed during the live (ingest, packager).
ARCHIVABLE = (LiveState.ENDED, LiveState.FAILED)
# An archive takes seconds to a minute; a claim this old belongs to a worker that died.
STALE_CLAIM = timedelta(minutes=30)


def archive_session(session_id: int) -> Video | None:
    """The session's recording, made now if it is not yet; None when there is none to make."""
    session = LiveSession.objects.select_related("video").get(pk=session_id)
    if session.video_id and not _abandoned(session.video):
        if session.state in ARCHIVABLE and session.video.output_prefix:
            # Its version is stored, but the worker died before it finished: finish now.
            _finish(session_id, session.media_prefix, session.video_id)
            session.video.refresh_from_db()
        return session.video
    if session.state not in ARCHIVABLE:
        logger.warning("Session %s is %s: not archived", session_id, session.state)
        return None
    if session.archive_policy == ArchivePolicy.NONE:
        storage_copy.delete_folder(default_storage, session.media_prefix)
        logger.info("Session %s is not to be archived: its live folder was deleted", session_id)
        return None

    try:
        plan = read_plan(session)
    except Exception as error:
        logger.exception("Reading the recording of session %s failed", session_id)
        _fail(session_id, None, _storage_failure(), repr(error))
        return None
    for why in plan.dropped:
        logger.warning("Session %s: left out of the archive: %s", session_id, why)
    if plan.empty:
        # A session that failed during the live keeps the reason it failed for.
        nothing = _("Nothing was recorded: no picture or sound reached the server.")
        _fail(session_id, None, nothing, states=[LiveState.ENDED])
        return None

    claim = _claim(session)
    if not claim.ours:
        return claim.video
    video = claim.video
    try:
        with JobFolder(video.pk) as folder:
            prefix = reserve_prefix(video.pk)
            stored = build_version(
                default_storage, session.media_prefix, plan, prefix, folder.path, pipeline_config()
            )
        if not _publish(session_id, video.pk, prefix, stored.manifest, stored.fields):
            storage_copy.delete_folder(default_storage, f"videos/{video.pk}/")
            return None
    except Exception as error:
        logger.exception("Archiving session %s failed", session_id)
        _fail(session_id, video.pk, _storage_failure(), repr(error))
        return None

    _finish(session_id, session.media_prefix, video.pk)
    video.refresh_from_db()
    logger.info("Session %s archived as video %s", session_id, video.pk)
    return video


def read_plan(session: LiveSession) -> Plan:
    """What storage holds of the session's runs (their complete lists and sizes)."""
    storage = default_storage
    sizes = storage_copy.sizes_under(storage, session.media_prefix)
    relative = {name[len(session.media_prefix) :]: size for name, size in sizes.items()}
    runs = [(run.number, run.rungs or []) for run in session.runs.order_by("number")]
    texts = {}
    for number, rungs in runs:
        for rung in [spec["name"] for spec in rungs] + ["audio"]:
            name = run_playlist_name(number, rung)
            if name in relative:
                with storage.open(session.media_prefix + name, "rb") as handle:
                    texts[name] = handle.read().decode("utf-8")
    return plan_recording(runs, texts, relative)


@dataclass(frozen=True)
class Claim:
    video: Video | None
    ours: bool


def _claim(session: LiveSession) -> Claim:
    """A new video for the session, pointed at in one conditional update: only one worker's
    update finds the session as it read it, and the others' videos are rolled back."""
    abandoned = session.video_id
    with transaction.atomic():
        video = Video.objects.create(
            title=session.title,
            uploaded_by=session.host,
            collection=Collection.get_first_root_node(),
            status=VideoStatus.PROCESSING,
        )
        won = LiveSession.objects.filter(
            pk=session.pk, video_id=abandoned, state__in=ARCHIVABLE
        ).update(video=video)
        if not won:
            transaction.set_rollback(True)
    if not won:
        current = LiveSession.objects.select_related("video").get(pk=session.pk)
        return Claim(current.video, False)
    if abandoned:
        logger.warning("Session %s: taking over the archive of a worker that died", session.pk)
        _discard_video(abandoned)
    return Claim(video, True)


def _abandoned(video: Video) -> bool:
    return (
        video.status == VideoStatus.PROCESSING
        and not video.output_prefix
        and video.created_at < timezone.now() - STALE_CLAIM
    )


def _publish(session_id: int, video_id: int, prefix: str, manifest: dict, fields: dict) -> bool:
    """Switch the video to its version (it is made ready by `_finish`); False if the claim was
    taken over meanwhile (this worker was slow, not dead)."""
    with transaction.atomic():
        ours = (
            LiveSession.objects.select_for_update()
            .filter(pk=session_id, video_id=video_id)
            .exists()
        )
        if not ours:
            return False
        # Not held for approval: a new video no page shows yet (the draft page is reviewed).
        switch(video_id, prefix, manifest, **fields)
    return True


def _finish(session_id: int, live_prefix: str, video_id: int) -> None:
    """Delete the live folder, then make the video ready and the session archived at once, and
    announce it, once: the recording is safe in the video's version by now, and a second worker
    finishing too changes nothing."""
    try:
        storage_copy.delete_folder(default_storage, live_prefix)
    except Exception:
        logger.exception("Session %s is recorded; deleting its live folder failed", session_id)
    with transaction.atomic():
        archived = LiveSession.objects.filter(
            pk=session_id, video_id=video_id, state__in=ARCHIVABLE
        ).update(state=LiveState.ARCHIVED)
        if archived:
            Video.objects.filter(pk=video_id).update(
                status=VideoStatus.READY,
                progress=100,
                eta_seconds=None,
                error_message="",
                error_detail="",
            )
            transaction.on_commit(lambda: _announce(session_id, video_id))


def _announce(session_id: int, video_id: int) -> None:
    """Tell the apps that build on streaming (the library drafts a page). A receiver's failure
    is logged, not raised: the recording is made and must not be made again for it."""
    session = LiveSession.objects.get(pk=session_id)
    video = Video.objects.get(pk=video_id)
    for receiver, result in session_archived.send_robust(
        sender=LiveSession, session=session, video=video
    ):
        if isinstance(result, Exception):
            logger.error(
                "Session %s archived, but %r failed: %r",
                session_id,
                receiver,
                result,
                exc_info=result,
            )


def _fail(
    session_id: int, video_id: int | None, reason: str, detail: str = "", states=ARCHIVABLE
) -> None:
    """Mark the session failed with `reason` (from one of `states`), unless another worker's
    claim has taken it over; the claim's video and its files go, the live folder stays."""
    with transaction.atomic():
        LiveSession.objects.filter(pk=session_id, video_id=video_id, state__in=states).update(
            video=None, state=LiveState.FAILED, failure_reason=reason
        )
    logger.warning("Session %s not archived: %s %s", session_id, reason, detail)
    if video_id is not None:
        _discard_video(video_id)


def _discard_video(video_id: int) -> None:
    storage_copy.delete_folder(default_storage, f"videos/{video_id}/")
    Video.objects.filter(pk=video_id).delete()


def _storage_failure() -> str:
    return _(
        "The recording could not be saved. Nothing recorded was lost: an administrator can "
        "try archiving again."
    )
