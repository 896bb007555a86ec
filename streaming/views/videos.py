"""The video library in the admin: listing, editing with captions, and asking for processing.

Staff see why a video failed in plain words (``error_message``); the technical detail
(``error_detail``) is for administrators only, because it shows paths and ffmpeg output.
"""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic

from streaming import moderation
from streaming.access import may_approve
from streaming.models import Video, VideoStatus
from streaming.processing import request_caption_publish, request_processing
from streaming.views.columns import (
    ACTIVE,
    PosterColumn,
    StatusColumn,
    can_process,
    duration_label,
    eta_label,
    status_context,
)


def can_see_detail(user) -> bool:
    return user.is_superuser


class VideoIndexView(generic.IndexView):
    """The library: poster, status with progress while processing, duration."""

    template_name = "streaming/videos/index.html"
    status_url_name = None
    process_url_name = None
    usage_url_name = None

    @property
    def list_display(self):
        return [
            "title",
            PosterColumn("poster", label=_("Poster"), width="120px"),
            StatusColumn(
                "status",
                label=_("Status"),
                process_url_name=self.process_url_name,
                next_url=reverse(self.index_url_name),
                show_detail=can_see_detail(self.request.user),
                can_change=self.user_has_permission("change"),
            ),
            Column("duration", label=_("Duration"), accessor=duration_label, sort_key="duration"),
            DateColumn(
                "created_at", label=pgettext_lazy("date column", "Uploaded"), sort_key="created_at"
            ),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("collection")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Used on"),
                url=reverse(self.usage_url_name, args=[instance.pk]),
                icon_name="link",
                priority=25,
            )
        )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_url"] = reverse(self.status_url_name)
        return context


class VideoEditView(generic.EditView):
    """Title, collection and captions; caption changes give the video a re-captioned version."""

    template_name = "streaming/videos/edit.html"
    process_url_name = None
    status_url_name = None
    usage_url_name = None

    review_url_name = None

    def save_instance(self):
        video = super().save_instance()
        if self.form.captions_changed and video.is_playable and video.status not in ACTIVE:
            # Native HLS players read caption tracks from the master playlist.
            request_caption_publish(video, requested_by=self.request.user)
        elif self.form.captions_changed:
            # The running job publishes them when it ends; who asked decides on approval.
            Video.objects.filter(pk=video.pk).update(change_requested_by=self.request.user)
        return video

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        video = self.object
        context.update(
            status_context(
                video,
                show_detail=can_see_detail(self.request.user),
                can_change=self.user_has_permission("change"),
            )
        )
        context.update(
            {
                "process_url_name": self.process_url_name,
                "status_url": reverse(self.status_url_name),
                "duration": duration_label(video),
                "original_name": PurePosixPath(video.original.name).name if video.original else "",
                "usage_url": reverse(self.usage_url_name, args=[video.pk]),
            }
        )
        if video.has_pending_changes:
            context["review"] = review_context(video, self.request.user, self.review_url_name)
        return context


def review_context(video: Video, user, review_url_name: str) -> dict:
    """What the waiting change is, who asked, and what this person may do about it."""
    pending = video.pending_version
    before = [track["label"] for track in video.output_manifest.get("captions", [])]
    after = [track["label"] for track in pending["manifest"].get("captions", [])]
    requester = video.pending_requested_by
    return {
        "url": reverse(review_url_name, args=[video.pk]),
        "requested_by": requester.get_full_name() or requester.get_username() if requester else "",
        "since": video.pending_since,
        "captions_before": ", ".join(before) or "–",
        "captions_after": ", ".join(after) or "–",
        "new_recording": pending["manifest"].get("media_prefix") != video.media_prefix,
        "can_approve": may_approve(user, video),
        "can_withdraw": requester is not None and requester.pk == user.pk,
    }


class ReviewChangeView(generic.PermissionCheckedMixin, View):
    """POST approve or reject: a change to a video that clients already watch."""

    permission_required = "change"
    model = Video
    edit_url_name = None
    http_method_names = ["post"]

    def post(self, request, pk):
        video = get_object_or_404(Video.objects.select_related("pending_requested_by"), pk=pk)
        action = request.POST.get("action")
        requester = video.pending_requested_by
        own = requester is not None and requester.pk == request.user.pk
        if not video.has_pending_changes:
            messages.warning(request, gettext("Nothing is waiting for approval."))
        elif action == "approve" and may_approve(request.user, video):
            if moderation.approve(video):
                messages.success(request, gettext("The change is approved: clients see it now."))
            else:
                messages.error(
                    request,
                    gettext("The video changed in the meantime, so this change no longer fits it."),
                )
        elif action == "reject" and (own or may_approve(request.user, video)):
            moderation.reject(video)
            messages.success(
                request, gettext("The change is rejected: clients keep the published one.")
            )
        else:
            raise PermissionDenied
        return redirect(self.edit_url_name, pk)


class ProcessVideoView(generic.PermissionCheckedMixin, View):
    """POST: retry a failed video, or process a ready one again (e.g. after a pipeline change)."""

    permission_required = "change"
    model = Video
    index_url_name = None
    http_method_names = ["post"]

    def post(self, request, pk):
        video = get_object_or_404(Video, pk=pk)
        if can_process(video):
            was_failed = video.status == VideoStatus.FAILED
            request_processing(video, requested_by=request.user)
            if was_failed:
                message = _("“%(title)s” will be processed again.")
            else:
                message = _("“%(title)s” is waiting for processing.")
            messages.success(request, message % {"title": video.title})
        else:
            messages.warning(
                request,
                gettext("“%(title)s” cannot be processed now.") % {"title": video.title},
            )
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = reverse(self.index_url_name)
        return redirect(next_url)


class VideoStatusView(generic.PermissionCheckedMixin, View):
    """JSON for the listing's progress bars: ``?id=1&id=2``. Polled while anything is active."""

    any_permission_required = ["add", "change", "delete", "view"]
    model = Video

    def get(self, request):
        ids = [int(value) for value in request.GET.getlist("id") if value.isdigit()][:200]
        videos = Video.objects.filter(pk__in=ids).only(
            "pk", "status", "progress", "eta_seconds", "title"
        )
        data = [
            {
                "id": video.pk,
                "status": video.status,
                "status_label": str(video.get_status_display()),
                "progress": round(video.progress or 0),
                "eta_label": str(eta_label(video)),
                "active": video.status in ACTIVE,
            }
            for video in videos
        ]
        response = JsonResponse({"videos": data})
        response["Cache-Control"] = "no-store"
        return response
