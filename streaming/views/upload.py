"""The upload page, and the tus 1.0 endpoint its script (tus-js-client) and any other tus client
talk to (protocol helpers in ``streaming.uploads.tus``).

- ``OPTIONS uploads/``: what the server speaks (version, extensions, largest file, checksums).
- ``POST uploads/``: declare a file (``Upload-Length``; ``Upload-Metadata`` with ``filename``,
  ``filetype``, ``collection``); 201 with its URL in ``Location``.
- ``HEAD uploads/<id>/``: how many bytes have arrived (``Upload-Offset``).
- ``PATCH uploads/<id>/``: bytes at ``Upload-Offset`` (409 with the offset if it is not where the
  received bytes end). When the last byte lands the file becomes a Video; the response (and any
  later HEAD) names its edit page in ``Kotikanava-Video-Edit-Url``.
- ``DELETE uploads/<id>/``: cancel.

Every refusal carries ``{"error": <message staff read>, "offset": ...}`` in its body. Callers are
the logged-in staff member (session cookie plus the X-CSRFToken header) or a script holding an
upload token (``Authorization: Bearer``; studio's middleware sets ``request.upload_token``): the
same permission checks apply to both. The views are exempt from Django's CSRF middleware only so
that token requests, which carry no cookies, pass; cookie requests are checked here.
"""

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from streaming import uploads
from streaming.forms import UploadSessionForm
from streaming.intake import accepted_extensions
from streaming.models import UploadSession, UploadState, Video
from streaming.permissions import may_upload, upload_collections
from streaming.uploads import tus

# Waits (ms) before tus-js-client tries again after a dropped connection; the lease outlasts them.
RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000, 30000]

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
    """Choose or drop recordings; tus-js-client sends each one, resumably."""

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
        collections = list(upload_collections(self.request.user))
        context.update(
            {
                "collections": collections if len(collections) > 1 else None,
                "client_config": {
                    "endpoint": reverse("videos:upload_sessions"),
                    "chunkSize": uploads.chunk_size(),
                    "retryDelays": RETRY_DELAYS_MS,
                    "videoUrlHeader": tus.VIDEO_EDIT_URL_HEADER,
                    "messages": {key: str(text) for key, text in SCRIPT_MESSAGES.items()},
                },
                "index_url": reverse(self.index_url_name),
                "accept": ",".join(f".{ext}" for ext in accepted_extensions()),
                "max_bytes": uploads.max_upload_bytes(),
            }
        )
        return context


def _tus_response(status: int, headers=None, data=None) -> HttpResponse:
    response = (
        JsonResponse(data, status=status) if data is not None else HttpResponse(status=status)
    )
    response["Tus-Resumable"] = tus.VERSION
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(message, status: int, offset: int | None = None) -> HttpResponse:
    data = {"error": str(message)}
    headers = {}
    if offset is not None:
        data["offset"] = offset
        headers["Upload-Offset"] = str(offset)
    return _tus_response(status, headers, data)


def _refusal(request) -> HttpResponse | None:
    """The answer to a request this endpoint must not serve, or None."""
    if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != tus.VERSION:
        response = _error(_("This upload client speaks a version of tus the server does not."), 412)
        response["Tus-Version"] = tus.VERSION
        return response
    if getattr(request, "upload_token", None) is None:
        csrf_refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if csrf_refused is not None:
            return _error(_("The page has expired. Reload the page and try again."), 403)
    if not may_upload(request.user):
        return _error(_("You do not have permission to upload videos."), 403)
    return None


def _options() -> HttpResponse:
    return _tus_response(204, tus.options_headers(uploads.max_upload_bytes()))


class _Refused(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


@csrf_exempt
def uploads_endpoint(request):
    """``OPTIONS`` and ``POST`` (creation)."""
    if request.method not in ("OPTIONS", "POST"):
        return _tus_response(405, {"Allow": "OPTIONS, POST"})
    if refused := _refusal(request):
        return refused
    if request.method == "OPTIONS":
        return _options()
    try:
        session = _create(request)
    except _Refused as refused:
        return refused.response
    except uploads.UploadError as error:
        return _error(error.message, error.status)
    url = reverse("videos:upload_session", args=[session.pk])
    return _tus_response(
        201,
        {
            "Location": request.build_absolute_uri(url),
            "Upload-Offset": "0",
            "Upload-Expires": tus.expires_header(uploads.expires_at(session)),
        },
        {"id": str(session.pk), "url": url, "offset": 0},
    )


def _create(request) -> UploadSession:
    if request.headers.get("Upload-Defer-Length"):
        raise _Refused(_error(_("The size of the file must be known before it is sent."), 400))
    try:
        size = tus.parse_non_negative(request.headers.get("Upload-Length"), "Upload-Length")
        metadata = tus.parse_metadata(request.headers.get("Upload-Metadata"))
    except tus.ProtocolError:
        raise _Refused(_error(_("The request was not understood."), 400)) from None
    form = UploadSessionForm(
        {
            "filename": metadata.get("filename", ""),
            "size": size,
            "collection": metadata.get("collection") or None,
        },
        user=request.user,
    )
    if not form.is_valid():
        if "filename" in form.errors and metadata.get("filename"):
            raise _Refused(_error(form.errors["filename"][0], 400))
        if "collection" in form.errors:
            raise _Refused(_error(form.errors["collection"][0], 403))
        raise uploads.UploadError(_("The file has no name."))
    return uploads.create_session(
        request.user,
        form.cleaned_data["filename"],
        form.cleaned_data["size"],
        form.cleaned_data["collection"],
    )


@csrf_exempt
def upload_endpoint(request, session_id):
    """``HEAD`` (offset), ``PATCH`` (bytes), ``DELETE`` (termination) of one upload."""
    if request.method not in ("OPTIONS", "HEAD", "PATCH", "DELETE"):
        return _tus_response(405, {"Allow": "OPTIONS, HEAD, PATCH, DELETE"})
    if refused := _refusal(request):
        return refused
    if request.method == "OPTIONS":
        return _options()
    try:
        session = _own_session(request, session_id)
        if request.method == "DELETE":
            uploads.cancel(session)
            return _tus_response(204)
        if request.method == "PATCH":
            offset = _receive(request, session)
        elif session.received == session.size:
            offset = session.size  # all on disk: finishing below waits for any request doing so
        else:
            offset = uploads.received_bytes(session)
        video = uploads.finish(session) if offset == session.size else None
    except _Refused as refused:
        return refused.response
    except uploads.UploadError as error:
        return _error(error.message, error.status, error.offset)
    headers = {"Upload-Offset": str(offset)}
    if video is not None:
        headers[tus.VIDEO_EDIT_URL_HEADER] = reverse("videos:edit", args=[video.pk])
    else:
        headers["Upload-Expires"] = tus.expires_header(uploads.expires_at(session))
    if request.method == "HEAD":
        headers["Upload-Length"] = str(session.size)
        return _tus_response(200, headers)
    return _tus_response(204, headers)


def _own_session(request, session_id) -> UploadSession:
    """Only the person who started an upload may continue it; an expired one is gone.

    Not 404: the project's LocaleMiddleware turns an unprefixed 404 into a redirect, which a PATCH
    must not follow (tus allows 410 for uploads that are gone).
    """
    gone = uploads.UploadGone(_("This upload has expired. Please choose the file again."))
    session = UploadSession.objects.filter(pk=session_id).first()
    if session is None or session.state == UploadState.CANCELLED:
        raise gone
    if session.user_id != request.user.pk:
        raise _Refused(_error(_("This upload was started by another user."), 403))
    if session.state == UploadState.OPEN and uploads.expires_at(session) < timezone.now():
        uploads.cancel(session)
        raise gone
    return session


def _receive(request, session: UploadSession) -> int:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip()
    if content_type != tus.OFFSET_CONTENT_TYPE:
        raise _Refused(_error(_("The request was not understood."), 415))
    try:
        start = tus.parse_non_negative(request.headers.get("Upload-Offset"), "Upload-Offset")
        checksum = tus.parse_checksum(request.headers.get("Upload-Checksum"))
        length = tus.parse_non_negative(request.META.get("CONTENT_LENGTH") or "0", "length")
    except tus.ProtocolError:
        raise _Refused(_error(_("The request was not understood."), 400)) from None
    if session.state == UploadState.FINISHED and start == session.size and length == 0:
        return session.size  # a client asking again after the response that finished it was lost
    if length == 0:
        received = uploads.received_bytes(session)
        if start != received:
            raise uploads.OffsetMismatch(
                _("The data does not continue where the upload left off."), offset=received
            )
        return received
    return uploads.write_chunk(session, start, length, request, checksum)
