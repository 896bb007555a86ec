"""The video library in the admin: listing, editing with captions, and asking for processing.

Staff see why a video failed in plain words (``error_message``); the technical detail
(``error_detail``) is for administrators only, because it shows paths and ffmpeg output.
"""

from functools import cached_property
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
from django.views.generic import TemplateView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, ListingButton

from streaming import moderation
from streaming.access import may_approve
from streaming.models import Video, VideoStatus
from streaming.permissions import videos_user_may_manage
from streaming.processing import request_caption_publish, request_processing
from streaming.views.columns import (
    ACTIVE,
    PosterColumn,
    StatusColumn,
    can_process,
    duration_label,
    eta_label,
    process_is_next_step,
    status_context,
)
from streaming.views.trim import trim_change


def can_see_detail(user) -> bool:
    return user.is_superuser


class InstancePermissionMixin:
    """Refuse a video the person may not touch: staff change their own, editors any
    (streaming.permissions). Wagtail's generic views check only the model-wide permission."""

    instance_permission = "change"

    def get_object(self, *args, **kwargs):
        video = super().get_object(*args, **kwargs)
        if not self.user_has_permission_for_instance(self.instance_permission, video):
            raise PermissionDenied
        return video


def may_process_again(view, video: Video) -> bool:
    """Whether to offer "Process again": for a video already done it is maintenance."""
    return (
        view.process_url_name is not None
        and can_process(video)
        and not process_is_next_step(video)
        and view.user_has_permission_for_instance("change", video)
    )


def video_for(view, pk, action: str = "change", queryset=None) -> Video:
    """The video `pk` if the view's user may do `action` to it, else PermissionDenied."""
    video = get_object_or_404(queryset if queryset is not None else Video, pk=pk)
    if not view.user_has_permission_for_instance(action, video):
        raise PermissionDenied
    return video


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
        """Staff see their own videos and those in collections where they may change videos."""
        return videos_user_may_manage(self.request.user).select_related("collection")

    def get_list_buttons(self, instance):
        """Edit in front, everything else (process again, usage, delete) in the "more" menu."""
        buttons = super().get_list_buttons(instance)
        if edit_url := self.get_edit_url(instance):
            edit = ListingButton(
                _("Edit"),
                url=edit_url,
                icon_name="edit",
                attrs={"aria-label": gettext("Edit “%(title)s”") % {"title": instance.title}},
                priority=0,
            )
            buttons.insert(0, edit)
        return buttons

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
        if may_process_again(self, instance):
            buttons.append(
                MenuItem(
                    _("Process again"),
                    url=reverse(self.process_url_name, args=[instance.pk]),
                    icon_name="resubmit",
                    priority=28,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_url"] = reverse(self.status_url_name)
        return context


class VideoEditView(InstancePermissionMixin, generic.EditView):
    """Title, collection and captions; caption changes give the video a re-captioned version."""

    template_name = "streaming/videos/edit.html"
    process_url_name = None
    status_url_name = None
    usage_url_name = None

    review_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if may_process_again(self, self.object):
            buttons.append(
                Button(
                    _("Process again"),
                    url=reverse(self.process_url_name, args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=25,
                )
            )
        return buttons

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
    length_change = trim_change(video.output_manifest, pending["manifest"])
    return {
        "url": reverse(review_url_name, args=[video.pk]),
        "requested_by": requester.get_full_name() or requester.get_username() if requester else "",
        "since": video.pending_since,
        "captions_before": ", ".join(before) or "–",
        "captions_after": ", ".join(after) or "–",
        "trim_change": length_change,
        "new_recording": not length_change
        and pending["manifest"].get("media_prefix") != video.media_prefix,
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
        video = video_for(self, pk, queryset=Video.objects.select_related("pending_requested_by"))
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


class ProcessVideoView(
    generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, TemplateView
):
    """POST: retry a failed video, or process a ready one again (e.g. after a pipeline change).

    GET asks first: "Process again" is reached from a menu link, and processing a ready video
    again costs minutes of encoding for what clients already watch.
    """

    permission_required = "change"
    model = Video
    index_url_name = None
    edit_url_name = None
    template_name = "streaming/videos/process_confirm.html"
    page_title = _("Process again")
    header_icon = "media"
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        self.video = video_for(self, pk)
        return super().get(request, pk)

    def get_page_subtitle(self):
        return str(self.video)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "video": self.video,
                "can_process": can_process(self.video),
                "action_url": self.request.path,
                "edit_url": reverse(self.edit_url_name, args=[self.video.pk]),
            }
        )
        return context

    def post(self, request, pk):
        video = video_for(self, pk)
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


class VideoDeleteView(InstancePermissionMixin, generic.DeleteView):
    instance_permission = "delete"


class VideoUsageView(InstancePermissionMixin, generic.UsageView):
    pass


class VideoHistoryView(InstancePermissionMixin, generic.HistoryView):
    pass


class VideoStatusView(generic.PermissionCheckedMixin, View):
    """JSON for the listing's progress bars: ``?id=1&id=2``. Polled while anything is active."""

    any_permission_required = ["add", "change", "delete", "view"]
    model = Video

    def get(self, request):
        ids = [int(value) for value in request.GET.getlist("id") if value.isdigit()][:200]
        videos = (
            videos_user_may_manage(request.user)
            .filter(pk__in=ids)
            .only("pk", "status", "progress", "eta_seconds", "title")
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
