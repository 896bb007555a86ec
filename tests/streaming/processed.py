"""A video as staff have it once an upload is through: the original stored, the ladder made."""

from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from streaming.jobs import run_processing
from streaming.models import Video, VideoStatus


def processed_video(source: Path, title: str, **fields) -> Video:
    """`source` stored as a new Video's original and processed in this process; fails the test
    with the pipeline's own message when it does not come out ready."""
    video = Video(title=title, **fields)
    with source.open("rb") as handle:
        video.original.save(source.name, File(handle))
    run_processing(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.error_detail
    return video


def stored_under(folder: str) -> set[str]:
    """Every file the local media storage holds under `folder`."""
    root = Path(default_storage.path(folder))
    if not root.exists():
        return set()
    return {f"{folder}{p.relative_to(root)}" for p in root.rglob("*") if p.is_file()}
