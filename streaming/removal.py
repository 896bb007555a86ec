"""Removing a deleted video's stored files, in a background task once its row is gone.

The row goes first, so the admin answers at once and nothing serves the files meanwhile (the
media view looks the row up); a whole ladder on S3 is thousands of requests, work for a worker.
Deleting what is already gone is no error, so a failed task can simply run again.
"""

import posixpath
from pathlib import PurePosixPath

from django.core.files.storage import default_storage

from streaming.models import Video


def stored_files(video: Video) -> tuple[list[str], list[str]]:
    """The files and the folders a video's storage holds: its original, and every version."""
    names = [video.original.name] if video.original else []
    folders = [f"videos/{video.pk}/"]
    original_folder = PurePosixPath(video.original.name).parent if video.original else None
    if original_folder and original_folder.parent == PurePosixPath("originals"):
        folders.append(f"{original_folder}/")  # the upload's own random folder
    return names, folders


def remove_stored(names: list[str], folders: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
    for folder in folders:
        _remove_folder(folder)


def _remove_folder(folder: str) -> None:
    try:
        subfolders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(posixpath.join(folder, name))
    for name in subfolders:
        _remove_folder(posixpath.join(folder, name) + "/")
    if default_storage.exists(folder):  # local disk keeps empty folders; S3 has none
        default_storage.delete(folder)
