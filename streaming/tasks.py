"""Background tasks of the media engine: thin wrappers that load rows and call the pipeline.

Each kind of work has its own queue, so workers can be given them separately (README
"Production"): a backlog of transcodes never holds up a live session's archive or an e-mail.
"""

from django_tasks import task

from streaming.models import Video

# Encoding a video's ladder: minutes to hours of CPU each.
TRANSCODE_QUEUE = "transcode"
# A live session's work, which viewers and hosts wait for.
LIVE_QUEUE = "live"
# Everything short: caption publishing, file removal (and the other apps' and Wagtail's tasks).
DEFAULT_QUEUE = "default"


@task(queue_name=TRANSCODE_QUEUE)
def process_video(video_id: int) -> None:
    from streaming.jobs import run_processing

    run_processing(Video.objects.get(pk=video_id))


@task(queue_name=DEFAULT_QUEUE)
def publish_captions(video_id: int) -> None:
    from streaming import versions

    versions.publish_captions(video_id)


@task(queue_name=LIVE_QUEUE)
def archive_live_session(session_id: int) -> None:
    from streaming.live.archive import archive_session

    archive_session(session_id)


@task(queue_name=DEFAULT_QUEUE)
def remove_stored_files(names: list[str], folders: list[str]) -> None:
    """A deleted video's or caption's files; safe to run again if it failed halfway."""
    from streaming.removal import remove_stored

    remove_stored(names, folders)
