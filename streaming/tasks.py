"""Background tasks of the media engine: thin wrappers that load rows and call the pipeline."""

from django_tasks import task

from streaming.models import Video


@task()
def process_video(video_id: int) -> None:
    from streaming.jobs import run_processing

    run_processing(Video.objects.get(pk=video_id))


@task()
def publish_captions(video_id: int) -> None:
    from streaming import versions

    versions.publish_captions(video_id)


@task()
def archive_live_session(session_id: int) -> None:
    from streaming.live.archive import archive_session

    archive_session(session_id)
