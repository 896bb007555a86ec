"""Putting a packager's files into storage while it writes them, and reading them back.

On local disk a segment is hard-linked and a playlist replaced atomically, so a viewer never
reads half a file; on S3 each upload is one PUT, which is atomic too.
"""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def _local_path(name: str) -> Path | None:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None


def put_file(name: str, source: Path) -> None:
    target = _local_path(name)
    if target is None:
        with source.open("rb") as handle:
            _replace_remote(name, handle.read())
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        os.link(source, target)
    except OSError:  # another filesystem
        _replace_local(target, source.read_bytes())


def put_text(name: str, text: str) -> None:
    target = _local_path(name)
    if target is None:
        _replace_remote(name, text.encode())
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace_local(target, text.encode())


def read_text(name: str) -> str | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read().decode()
    except (FileNotFoundError, OSError):
        return None


def delete_folder(prefix: str) -> None:
    """Every file under `prefix` (a folder name ending in "/")."""
    local = _local_path(prefix)
    if local is not None:
        shutil.rmtree(local, ignore_errors=True)
        return
    folders, files = default_storage.listdir(prefix)
    for name in files:
        default_storage.delete(prefix + name)
    for folder in folders:
        delete_folder(f"{prefix}{folder}/")


def _replace_local(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)


def _replace_remote(name: str, data: bytes) -> None:
    """S3 overwrites on save; other storages may rename on a clash, so the old file goes first."""
    if not getattr(default_storage, "file_overwrite", False):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))
