"""The upload page and the small JSON API its script talks to.

Endpoints (all under the videos admin, CSRF-protected by Django's middleware, ``add_video`` only,
and a session only for the user who started it):

- ``POST sessions/``: declare a file (filename, size, collection); returns id, offset, chunk size.
- ``GET|HEAD sessions/<id>/``: how many bytes have arrived (also in the ``Upload-Offset`` header).
- ``PUT|POST sessions/<id>/``: a chunk, placed by ``Content-Range: bytes a-b/total`` or
  ``?offset=a``; a chunk that does not start at the received offset gets 409 and the offset.
- ``DELETE sessions/<id>/``: cancel.
- ``POST sessions/<id>/finish/``: make the Video and queue it for processing.

A new session or a chunk after a pause may get 507 (no room for the rest of the file now) or 429
(the person's uploads in progress already hold their share of the disk); a chunk's answer carries
the offset, and nothing that arrived is lost.
"""

import json
import re

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.models import Collection

from streaming import uploads
from streaming.forms import UploadSessionForm
from streaming.models import UploadSession, UploadState, Video

CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")

# What upload.js says, translated here; %(name)s placeholders are filled in by the script.
SCRIPT_MESSAGES = {
    "waiting": _("Waiting for the previous file…"),
    "starting": _("Starting…"),
    "progress": _("%(percent)s %% uploaded"),
    "time_left": _("about %(time)s left"),
    "minutes": _("%(count)s min"),
    "seconds": _("%(count)s s"),
    "resuming": _("Continuing the earlier upload of this file from %(percent)s %%."),
    "retrying": _("The connection was lost. Trying again in %(seconds)s s…"),
    "finishing": _("Saving the video…"),
    "done": _("Uploaded. The video is now being processed; you can already add captions."),
    "cancelled": _("Upload cancelled."),
    "failed": _("The upload failed: %(error)s"),
    "network": _("No connection to the server."),
    "progress_label": _("Upload progress of %(name)s"),
    "leave": _("Uploads are still in progress. Leave the page?"),
}


class UploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Choose or drop recordings; each is sent in resumable chunks by upload.js."""

    model = Video
    permission_required = "add"
    template_name = "streaming/upload.html"
    page_title = _("Upload videos")
    header_icon = "upload"
    index_url_name = None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Videos")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        collections = Collection.objects.all()
        context.update(
            {
                "collections": collections if len(collections) > 1 else None,
                "sessions_url": reverse("videos:upload_sessions"),
                "index_url": reverse(self.index_url_name),
                "accept": ",".join(f".{ext}" for ext in uploads.allowed_extensions()),
                "max_bytes": uploads.max_upload_bytes(),
                "messages_json": {key: str(text) for key, text in SCRIPT_MESSAGES.items()},
            }
        )
        return context


def _error(message, status: int, offset: int | None = None) -> JsonResponse:
    data = {"error": str(message)}
    if offset is not None:
        data["offset"] = offset
    response = JsonResponse(data, status=status)
    if offset is not None:
        response["Upload-Offset"] = str(offset)
    return response


def _forbidden() -> JsonResponse:
    return _error(_("You do not have permission to upload videos."), 403)


def _can_upload(request) -> bool:
    return request.user.has_perm("streaming.add_video")


def _session_data(session: UploadSession, offset: int) -> dict:
    return {
        "id": str(session.pk),
        "filename": session.filename,
        "size": session.size,
        "offset": offset,
        "state": session.state,
        "chunk_size": uploads.chunk_size(),
        "url": reverse("videos:upload_session", args=[session.pk]),
        "finish_url": reverse("videos:upload_finish", args=[session.pk]),
    }


class _NotYours(Exception):
    pass


def _own_session(request, session_id) -> UploadSession:
    """Only the user who started an upload may continue it.

    Not 404: the project's LocaleMiddleware turns an unprefixed 404 into a redirect, which a PUT
    must not follow. A session that does not exist is "gone" (410), someone else's is 403.
    """
    session = UploadSession.objects.filter(pk=session_id).first()
    if session is None:
        raise uploads.UploadGone(_("This upload has expired. Please choose the file again."))
    if session.user_id != request.user.pk:
        raise _NotYours
    return session


@require_http_methods(["POST"])
def create_session(request):
    if not _can_upload(request):
        return _forbidden()
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return _error(_("The request was not understood."), 400)
    form = UploadSessionForm(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        if "filename" in form.errors:
            return _error(form.errors["filename"][0], 400)
        return _error(_("The request was not understood."), 400)
    try:
        session = uploads.create_session(
            request.user,
            form.cleaned_data["filename"],
            form.cleaned_data["size"],
            form.cleaned_data["collection"],
        )
    except uploads.UploadError as error:
        return _error(error.message, error.status)
    return JsonResponse(_session_data(session, 0), status=201)


@require_http_methods(["GET", "HEAD", "PUT", "POST", "DELETE"])
def session_view(request, session_id):
    if not _can_upload(request):
        return _forbidden()
    try:
        session = _own_session(request, session_id)
        if request.method in ("PUT", "POST"):
            offset = _receive_chunk(request, session)
        elif request.method == "DELETE":
            uploads.cancel(session)
            return HttpResponse(status=204)
        else:
            offset = uploads.received_bytes(session)
    except uploads.UploadError as error:
        return _error(error.message, error.status, error.offset)
    except _NotYours:
        return _error(_("This upload was started by another user."), 403)
    response = JsonResponse(_session_data(session, offset))
    response["Upload-Offset"] = str(offset)
    response["Cache-Control"] = "no-store"
    return response


def _receive_chunk(request, session: UploadSession) -> int:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    content_range = request.headers.get("Content-Range")
    if content_range:
        match = CONTENT_RANGE.match(content_range.strip())
        if not match:
            raise uploads.UploadError(_("The Content-Range header is not valid."))
        start, end, total = (int(group) for group in match.groups())
        if total != session.size or end < start or end - start + 1 != length:
            raise uploads.UploadError(_("The Content-Range header does not match the upload."))
    else:
        try:
            start = int(request.GET["offset"])
        except (KeyError, ValueError):
            raise uploads.UploadError(_("The chunk's offset is missing.")) from None
    return uploads.write_chunk(session, start, length, request)


@require_http_methods(["POST"])
def finish_session(request, session_id):
    if not _can_upload(request):
        return _forbidden()
    try:
        session = _own_session(request, session_id)
        video = uploads.finish(session)
    except uploads.UploadError as error:
        return _error(error.message, error.status, error.offset)
    except _NotYours:
        return _error(_("This upload was started by another user."), 403)
    return JsonResponse(
        {
            **_session_data(session, session.received),
            "state": UploadState.FINISHED,
            "video": {
                "id": video.pk,
                "title": video.title,
                "status": video.status,
                "status_label": str(video.get_status_display()),
                "edit_url": reverse("videos:edit", args=[video.pk]),
            },
        },
        status=201,
    )
