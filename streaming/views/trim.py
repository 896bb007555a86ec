"""The admin's trim page: cut the start and end off a published video, or restore its length.

GET shows the storyboard thumbnails, a preview player and the start and end fields; POST
publishes the trimmed version at once (a few playlists and a stream-copied MP4, no encode), or
holds it for an editor when the staff member's changes need approval.
"""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views import generic

from streaming import trim
from streaming.conf import pipeline_config
from streaming.live import storage_copy
from streaming.models import Video
from streaming.pipeline import playlists
from streaming.pipeline.images import STORYBOARD_VTT
from streaming.pipeline.trim_playlists import parse_storyboard


def parse_seconds(value: str) -> float | None:
    """Seconds from "75", "75.5", "1:15" or "1:01:15"; None when it is none of these."""
    parts = (value or "").strip().replace(",", ".").split(":")
    if not parts[0] or len(parts) > 3:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    if any(n < 0 for n in numbers) or any(n >= 60 for n in numbers[1:]):
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


class TrimVideoView(
    generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, TemplateView
):
    permission_required = "change"
    model = Video
    template_name = "streaming/videos/trim.html"
    page_title = _("Trim the video")
    header_icon = "media"
    edit_url_name = None
    http_method_names = ["get", "post"]

    def dispatch(self, request, pk):
        self.video = get_object_or_404(Video, pk=pk)
        return super().dispatch(request, pk)

    def user_has_permission(self, permission):
        """The permission on this very video, so collection and ownership rules apply."""
        return self.user_has_permission_for_instance(permission, self.video)

    def get_page_subtitle(self):
        return str(self.video)

    def get(self, request, *args, **kwargs):
        if request.GET.get("preview") == "full" and self.video.is_playable:
            return full_length_master(self.video)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        video = self.video
        full = trim.full_length(video) if video.is_playable else None
        kept = trim.trim_range(video)
        start, end = kept or (0.0, full.duration if full else 0.0)
        context.update(
            {
                "video": video,
                "full": full,
                "kept": kept,
                "segment_seconds": pipeline_config().segment_seconds,
                "start_label": clock(start),
                "end_label": clock(end),
                "kept_length_label": clock(end - start),
                "full_length_label": clock(full.duration) if full else "",
                "preview_url": f"{self.request.path}?preview=full",
                "thumbnails": storyboard_thumbnails(full) if full else [],
                "edit_url": reverse(self.edit_url_name, args=[video.pk]),
                "action_url": self.request.path,
            }
        )
        return context

    def post(self, request, pk):
        video = self.video
        if not video.is_playable:
            messages.error(request, gettext("Only a processed video can be trimmed."))
            return redirect(self.edit_url_name, pk)
        if request.POST.get("action") == "restore":
            trim.restore_full_length(video.pk, requested_by=request.user)
            return self._done(gettext("The full length is restored."))
        start = parse_seconds(request.POST.get("start", ""))
        end = parse_seconds(request.POST.get("end", ""))
        if start is None or end is None:
            messages.error(request, gettext("Give the start and the end in seconds or as mm:ss."))
            return redirect(request.path)
        try:
            trim.publish_trim(video.pk, start, end, requested_by=request.user)
        except trim.TrimRangeError:
            messages.error(request, gettext("The end must come at least a second after the start."))
            return redirect(request.path)
        return self._done(gettext("The trimmed video is published."))

    def _done(self, published_message: str):
        video = Video.objects.get(pk=self.video.pk)
        if video.has_pending_changes:
            messages.success(
                self.request,
                gettext("The change waits for an editor's approval; clients see the old one."),
            )
        else:
            messages.success(self.request, published_message)
        return redirect(self.edit_url_name, video.pk)


def clock(seconds: float) -> str:
    """m:ss (h:mm:ss past an hour), tenths only when they are not zero."""
    tenths = round(seconds * 10)
    minutes, rest = divmod(tenths, 600)
    hours, minutes = divmod(minutes, 60)
    second = f"{rest // 10:02d}" + (f".{rest % 10}" if rest % 10 else "")
    return f"{hours}:{minutes:02d}:{second}" if hours else f"{minutes}:{second}"


def full_length_master(video: Video) -> HttpResponse:
    """The whole recording's master playlist for the preview, its URIs pointing at /media/."""
    full = trim.full_length(video)
    base = reverse("media", kwargs={"path": full.prefix})
    master = playlists.relink_master(full.master, lambda uri: base + uri, [])
    response = HttpResponse(master, content_type="application/vnd.apple.mpegurl")
    response["Cache-Control"] = "no-store"
    return response


def storyboard_thumbnails(full: trim.FullLength) -> list[dict]:
    """The full recording's storyboard tiles, each with its times and sheet URL."""
    vtt = storage_copy.read_text(default_storage, full.prefix + STORYBOARD_VTT) or ""
    base = reverse("media", kwargs={"path": full.prefix})
    thumbnails = []
    for cue in parse_storyboard(vtt):
        thumbnails.append(
            {
                **cue,
                "url": base + cue["image"],
                "label": clock(cue["start"]),
                "end_label": clock(cue["end"]),
            }
        )
    return thumbnails


def trim_change(published: dict, pending: dict) -> str:
    """What a waiting version changes in the length, in words for the approving editor."""
    before, after = published.get(trim.TRIM), pending.get(trim.TRIM)
    if after and (not before or (before["start"], before["end"]) != (after["start"], after["end"])):
        return gettext("trimmed to %(start)s–%(end)s of the recording") % {
            "start": clock(after["start"]),
            "end": clock(after["end"]),
        }
    if before and not after:
        return gettext("full length restored")
    return ""
