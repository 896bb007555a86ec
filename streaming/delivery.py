"""Handing a checked media file to its viewer without the app streaming bytes in production.

Once the access check has passed, a file leaves one of three ways:
- from S3: playlists are rewritten for this viewer with signed, short-lived URLs, and any other
  file is a redirect to one; the bucket itself stays private;
- from local disk behind nginx: an internal redirect (`X-Accel-Redirect`) lets nginx send it;
  with KOTIKANAVA_MEDIA_LINK_SECRET shared with nginx, a public playlist names its segments with
  signed links (nginx's `secure_link`), so public segments never reach the app, as on S3;
- in the embedded default: the app sends the file itself.
"""

import base64
import hashlib
import posixpath
import re
import time
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from django.utils.text import slugify
from django.views import static

from streaming import files
from streaming.conf import setting

PLAYLIST_SUFFIX = ".m3u8"
URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')
# Private files: the viewer's own browser may keep them, shared caches must not.
PRIVATE_PLAYLIST = "private, no-cache"
PRIVATE_FILE = "private, max-age=3600"
# A redirect to a signed URL must not outlive the signature.
SIGNED_REDIRECT = "private, max-age=60"


def download_filename(title: str) -> str:
    """A saved video's file name from its title: "Käsien pesu" -> "käsien-pesu.mp4".

    Finnish and Swedish letters are kept (`content_disposition` adds an ASCII fallback).
    """
    return (slugify(title, allow_unicode=True)[:80].strip("-_") or "video") + ".mp4"


def content_disposition(filename: str) -> str:
    """An attachment header every browser reads: an ASCII name ("kasien-pesu.mp4") and, when
    the name has other letters, the exact one as RFC 6266's filename*."""
    decomposed = unicodedata.normalize("NFKD", filename)
    ascii_name = decomposed.encode("ascii", "ignore").decode("ascii").replace('"', "")
    if not ascii_name.removesuffix(".mp4").strip("-_."):
        ascii_name = "video.mp4"  # a title in letters with no ASCII likeness
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def deliver(request, name: str, *, public: bool, filename: str = "") -> HttpResponse:
    """The checked file `name` for this request; a bare 404 if it is not stored.

    With `filename`, the file is offered for saving under that name.
    """
    storage = default_storage
    if hasattr(storage, "signed_url"):
        return _from_bucket(storage, name, filename)
    if setting("MEDIA_ACCEL_PREFIX"):
        if public and setting("MEDIA_LINK_SECRET") and name.endswith(PLAYLIST_SUFFIX):
            return _linked_playlist(storage, name)
        response = HttpResponse()
        response["X-Accel-Redirect"] = setting("MEDIA_ACCEL_PREFIX") + iri_to_uri(name)
    else:
        try:
            response = static.serve(request, name, document_root=storage.location)
        except Http404:
            return not_found()
    if filename and response.status_code in (200, 304):
        response["Content-Disposition"] = content_disposition(filename)
    return _labelled(response, name, public)


def not_found() -> HttpResponse:
    """A bare 404: cheap for segment requests, and kept by no cache."""
    response = HttpResponseNotFound(b"", content_type="text/plain")
    response["Cache-Control"] = "private, no-store"
    return response


def signed_playlist(text: str, folder: str, sign) -> str:
    """The playlist with every media URI replaced by `sign(storage name)`.

    Playlists it names stay relative, so they come back through the app and its check.
    """

    def resolve(uri: str) -> str:
        if "://" in uri or uri.split("?")[0].endswith(PLAYLIST_SUFFIX):
            return uri
        return sign(posixpath.normpath(posixpath.join(folder, uri)))

    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            line = URI_ATTRIBUTE.sub(lambda match: f'URI="{resolve(match[1])}"', line)
        elif line.strip():
            line = resolve(line.strip())
        lines.append(line)
    return "\n".join(lines) + "\n"


def _from_bucket(storage, name: str, filename: str = "") -> HttpResponse:
    expire = setting("MEDIA_SIGNED_URL_SECONDS")
    if not name.endswith(PLAYLIST_SUFFIX):
        headers = {"ResponseContentDisposition": content_disposition(filename)} if filename else {}
        url = storage.signed_url(name, expire, **headers)
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = SIGNED_REDIRECT
        return response
    try:
        with storage.open(name, "rb") as handle:
            text = handle.read().decode("utf-8")
    except FileNotFoundError:
        return not_found()
    body = signed_playlist(
        text, posixpath.dirname(name), lambda key: storage.signed_url(key, expire)
    )
    response = HttpResponse(body, content_type=files.content_type(name))
    # Every copy carries signatures that expire: never shared, never kept for long.
    response["Cache-Control"] = PRIVATE_PLAYLIST
    return response


def nginx_link(name: str, secret: str, now: float | None = None) -> str:
    """The URL of stored file `name` that nginx's `secure_link` lets through without the app:
    `secure_link_md5 "$secure_link_expires$uri <secret>"` (deploy/nginx/kotikanava.conf).

    The expiry is rounded up to the next 10 minutes, so every viewer in that span gets the same
    playlist, which shared caches may then keep.
    """
    step = 600
    now = time.time() if now is None else now
    expires = int(now // step + 1) * step + int(setting("MEDIA_SIGNED_URL_SECONDS"))
    path = iri_to_uri(settings.MEDIA_URL + name)
    digest = hashlib.md5(f"{expires}{path} {secret}".encode(), usedforsecurity=False).digest()
    token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"{path}?md5={token}&expires={expires}"


def _linked_playlist(storage, name: str) -> HttpResponse:
    """A public playlist whose segments nginx serves by itself (see `nginx_link`)."""
    try:
        with storage.open(name, "rb") as handle:
            text = handle.read().decode("utf-8")
    except FileNotFoundError:
        return not_found()
    secret = setting("MEDIA_LINK_SECRET")
    body = signed_playlist(text, posixpath.dirname(name), lambda key: nginx_link(key, secret))
    response = HttpResponse(body, content_type=files.content_type(name))
    response["Cache-Control"] = files.cache_control(name)
    return response


def _labelled(response: HttpResponse, name: str, public: bool) -> HttpResponse:
    if response.status_code in (200, 304):
        response["Content-Type"] = files.content_type(name)
        if public:
            response["Cache-Control"] = files.cache_control(name)
        else:
            playlist = name.endswith(PLAYLIST_SUFFIX)
            response["Cache-Control"] = PRIVATE_PLAYLIST if playlist else PRIVATE_FILE
    return response
