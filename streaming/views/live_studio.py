"""The host's studio: go live from the browser, in the Wagtail admin.

The page records the camera with MediaRecorder (static/streaming/js/live-studio.js) and POSTs
each chunk here with its connection id and sequence number; the chunk goes to the spool on the
ingest host, where the live supervisor's relay publishes it like an RTMP encoder would
(streaming/live/browser_relay.py). Only the session's host and those who may change sessions
(editors) get the page, the chunk endpoint and the end button; every POST needs the CSRF token.
"""

from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views import generic

from streaming.live import browser_spool, lifecycle
from streaming.live.ingest import within_window
from streaming.models import LiveSession
from streaming.views.live_admin import state_context
from streaming.views.live_questions import questions_panel_context

RELAY_FINISH_SECONDS = 5


def may_host(user, session: LiveSession) -> bool:
    """The session's host, or anyone who may change sessions (editors)."""
    if not user.is_authenticated:
        return False
    return session.host_id == user.pk or user.has_perm("streaming.change_livesession")


def hosted_session(request, pk: int) -> LiveSession | None:
    """The session if this user may host it, else None: answered with a plain 403 (Wagtail
    would turn a PermissionDenied into a redirect, which a script's upload cannot read)."""
    session = get_object_or_404(LiveSession, pk=pk)
    return session if may_host(request.user, session) else None


def forbidden() -> HttpResponseForbidden:
    return HttpResponseForbidden(gettext("You are not the host of this session or an editor."))


class StudioView(generic.WagtailAdminTemplateMixin, TemplateView):
    template_name = "streaming/live/studio.html"
    page_title = _("Studio")
    header_icon = "media"
    chunk_url_name = None
    end_url_name = None
    edit_url_name = None

    def dispatch(self, request, pk, *args, **kwargs):
        self.session = hosted_session(request, pk)
        if self.session is None:
            return forbidden()
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        context.update(state_context(session))
        context.update(
            {
                "chunk_url": reverse(self.chunk_url_name, args=[session.pk]),
                "end_url": reverse(self.end_url_name, args=[session.pk]),
                "edit_url": reverse(self.edit_url_name, args=[session.pk])
                if self.request.user.has_perm("streaming.change_livesession")
                else "",
                "in_window": within_window(session, timezone.now()),
            }
        )
        # The clients' questions beside the camera: the host answers them while live.
        context.update(questions_panel_context(self.request, session))
        return context


class ChunkView(View):
    """POST one recorded chunk: `?connection=<32 hex>&seq=<n>`, the bytes as the body, the
    recording's MIME type as Content-Type; `&previous=<connection>:<chunks>` when this
    recording continues another in the same publish (a new recorder for a new bitrate).
    Answers `{"expected": n}`, the first chunk the server still misses; 410 means this
    recording is closed (start a new one), 409 that the session cannot take it (another source
    is streaming, another tab took over, the window is closed, it ended).

    `?probe=1` only measures the uplink: the body is read and dropped."""

    http_method_names = ["post"]

    def post(self, request, pk):
        session = hosted_session(request, pk)
        if session is None:
            return forbidden()
        if request.GET.get("probe"):
            return JsonResponse({"received": len(request.body)})
        if session.state not in lifecycle.RUNNING:
            return _refused(409, "over")
        if not within_window(session, timezone.now()):
            return _refused(409, "window")
        try:
            seq = int(request.GET.get("seq", ""))
            accepted = browser_spool.accept(
                session.pk,
                request.GET.get("connection", ""),
                seq,
                request.body,
                request.content_type or "",
                previous=request.GET.get("previous", ""),
            )
        except ValueError:
            return _refused(400, "bad sequence number")
        except browser_spool.ChunkRefused as refused:
            return _refused(refused.status, refused.reason)
        return JsonResponse({"expected": accepted.expected, "duplicate": accepted.duplicate})


class StudioEndView(View):
    """POST: the host ends the broadcast (the page asked for confirmation first)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        session = hosted_session(request, pk)
        if session is None:
            return forbidden()
        why = f"ended in the studio by {request.user.get_username()}"
        # The relay first finishes what it was sent, so the recording keeps its last seconds.
        browser_spool.close(session.pk, browser_spool.CLOSED_ENDED)
        browser_spool.wait_until_relayed(session.pk, timeout=RELAY_FINISH_SECONDS)
        ended = lifecycle.end_session(session.pk, timezone.now(), why, by=request.user)
        session.refresh_from_db()
        return JsonResponse({"ended": ended, "state": session.state})


def _refused(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)
