"""Putting, copying, sizing, fetching and removing files in one storage, without the app in
the middle where the storage can do the work itself.

A packager's files reach storage while it writes them: on a local disk a segment is hard-linked
and a playlist replaced atomically, so a viewer never reads half a file; on S3 each upload is one
PUT, which is atomic too.

An archive reuses thousands of recorded segments as they are. Through the plain storage API each
would be downloaded and uploaded again; instead a local disk gets hard links (no bytes move and
the copy survives when the live folder is deleted) and S3 gets server-side copies (CopyObject),
many at once, since each is one short request. Any other storage falls back to open + save.
"""

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from storages.utils import clean_name

# Parallel requests to S3: each copy or fetch is one short round trip.
S3_WORKERS = 16
# DeleteObjects takes at most this many keys per request.
S3_DELETE_BATCH = 1000
# Why os.link may refuse where a copy works.
NO_HARD_LINKS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP}


def local_root(storage) -> Path | None:
    """The folder a storage keeps its files in, or None when it is not a local disk."""
    try:
        return Path(storage.path(""))
    except NotImplementedError:
        return None


def is_s3(storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def copy_within(storage, pairs: list[tuple[str, str]]) -> list[str]:
    """Copy each (source, target) name inside `storage`; returns the targets.

    Targets must not exist yet (a fresh version prefix): a clash raises instead of overwriting.
    """
    root = local_root(storage)
    if root is not None:
        for source, target in pairs:
            _link(root / source, root / target)
    elif is_s3(storage):
        _parallel(lambda pair: _s3_copy(storage, *pair), pairs)
    else:
        for source, target in pairs:
            with storage.open(source, "rb") as handle:
                saved = storage.save(target, File(handle))
            if saved != target:
                storage.delete(saved)
                raise RuntimeError(f"storage renamed {target} to {saved}")
    return [target for _source, target in pairs]


def put_file(storage, name: str, source: Path) -> None:
    """Store a local file as `name`, replacing what was there."""
    root = local_root(storage)
    if root is None:
        _replace_remote(storage, name, source.read_bytes())
        return
    target = root / name
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    _link(source, target)


def put_text(storage, name: str, text: str) -> None:
    """Store `text` as `name`, replacing what was there in one step."""
    root = local_root(storage)
    if root is None:
        _replace_remote(storage, name, text.encode())
        return
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(text.encode())
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)


def read_text(storage, name: str) -> str | None:
    try:
        with storage.open(name, "rb") as handle:
            return handle.read().decode()
    except OSError:  # FileNotFoundError, or the storage's own errors for a missing file
        return None


def sizes_under(storage, prefix: str) -> dict[str, int]:
    """Every file below `prefix` with its size in bytes, in one listing where possible."""
    root = local_root(storage)
    if root is not None:
        sizes = {}
        for folder, _dirs, names in os.walk(root / prefix):
            for name in names:
                path = Path(folder) / name
                sizes[path.relative_to(root).as_posix()] = path.stat().st_size
        return sizes
    if is_s3(storage):
        key_prefix = _key(storage, prefix)
        strip = len(key_prefix) - len(prefix)
        return {key[strip:]: size for key, size in _s3_listing(storage, key_prefix)}
    return {name: storage.size(name) for name in _walk(storage, prefix)}


def fetch(storage, names: Iterable[str], folder: Path) -> dict[str, Path]:
    """Local paths of `names` for ffmpeg: the files themselves on a local disk, else copies
    downloaded into `folder` (under their storage names)."""
    names = list(dict.fromkeys(names))
    root = local_root(storage)
    if root is not None:
        return {name: root / name for name in names}

    def download(name: str) -> Path:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if is_s3(storage):
            client = storage.connection.meta.client  # one per thread
            client.download_file(storage.bucket_name, _key(storage, name), str(target))
        else:
            with storage.open(name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        return target

    paths = _parallel(download, names) if is_s3(storage) else [download(n) for n in names]
    return dict(zip(names, paths, strict=True))


def delete_folder(storage, prefix: str) -> None:
    """Remove everything below `prefix` (a folder name ending in "/")."""
    if not prefix.endswith("/"):
        raise ValueError(f"not a folder: {prefix}")
    root = local_root(storage)
    if root is not None:
        shutil.rmtree(root / prefix, ignore_errors=True)
    elif is_s3(storage):
        keys = [key for key, _size in _s3_listing(storage, _key(storage, prefix))]
        client = storage.connection.meta.client
        for start in range(0, len(keys), S3_DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start : start + S3_DELETE_BATCH]]
            client.delete_objects(
                Bucket=storage.bucket_name, Delete={"Objects": batch, "Quiet": True}
            )
    else:
        for name in _walk(storage, prefix):
            storage.delete(name)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in NO_HARD_LINKS:
            raise
        # Another file system, or one without hard links: a copy still keeps it on this disk.
        shutil.copyfile(source, target)


def _replace_remote(storage, name: str, data: bytes) -> None:
    """S3 overwrites on save; other storages may rename on a clash, so the old file goes first."""
    if not getattr(storage, "file_overwrite", False):
        storage.delete(name)
    storage.save(name, ContentFile(data))


def _s3_copy(storage, source: str, target: str) -> None:
    """CopyObject keeps the source's content type and cache headers (set when it was stored)."""
    client = storage.connection.meta.client  # one per thread (django-storages keeps it local)
    client.copy_object(
        Bucket=storage.bucket_name,
        Key=_key(storage, target),
        CopySource={"Bucket": storage.bucket_name, "Key": _key(storage, source)},
    )


def _s3_listing(storage, key_prefix: str):
    paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=key_prefix):
        for item in page.get("Contents", []):
            yield item["Key"], item["Size"]


def _key(storage, name: str) -> str:
    key = storage._normalize_name(clean_name(name))
    return key + "/" if name.endswith("/") and not key.endswith("/") else key


def _walk(storage, prefix: str):
    folders, files = storage.listdir(prefix)
    for name in files:
        yield f"{prefix}{name}"
    for folder in folders:
        yield from _walk(storage, f"{prefix}{folder}/")


def _parallel(work, items: list) -> list:
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(S3_WORKERS, len(items))) as pool:
        return list(pool.map(work, items))
