"""Wagtail admin for videos (the library, the upload page, the edit form and the chooser) and
for live sessions and weekly series."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from streaming.access import may_approve
from streaming.forms import (
    GroupVideoPermissionFormSet,
    VideoForm,
    caption_field_name,
    remove_field_name,
)
from streaming.models import LiveSeries, LiveSession, LiveState, Video
from streaming.views import upload
from streaming.views.chooser import VideoChooseResultsView, VideoChooseView
from streaming.views.live_admin import (
    EndSessionView,
    LiveSessionCreateView,
    LiveSessionEditView,
    LiveSessionForm,
    LiveSessionIndexView,
    LiveStateColumn,
    RotateKeyView,
)
from streaming.views.live_questions import (
    LiveQuestionsView,
    QuestionsColumn,
    question_action,
    questions_data,
)
from streaming.views.live_series_admin import (
    LiveSeriesCreateForm,
    LiveSeriesCreateView,
    LiveSeriesDeleteView,
    LiveSeriesEditForm,
    LiveSeriesEditView,
)
from streaming.views.live_studio import ChunkView, StudioEndView, StudioView
from streaming.views.trim import TrimVideoView
from streaming.views.videos import (
    ProcessVideoView,
    ReviewChangeView,
    VideoDeleteView,
    VideoEditView,
    VideoHistoryView,
    VideoIndexView,
    VideoStatusView,
    VideoUsageView,
)


def _caption_panels():
    from django.conf import settings

    panels = []
    for code, _name in settings.LANGUAGES:
        panels += [FieldPanel(caption_field_name(code)), FieldPanel(remove_field_name(code))]
    return panels


class VideoViewSet(ModelViewSet):
    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 250
    add_to_admin_menu = True
    list_filter = ["status", "collection"]
    search_fields = ["title"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = VideoIndexView
    edit_view_class = VideoEditView
    delete_view_class = VideoDeleteView
    usage_view_class = VideoUsageView
    history_view_class = VideoHistoryView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("collection"),
            MultiFieldPanel(
                _caption_panels(),
                heading=_("Captions"),
                help_text=_(
                    "Clients with impaired hearing need captions. Upload a WebVTT or SRT file for "
                    "each language; SRT files are converted to WebVTT."
                ),
            ),
        ],
        base_form_class=VideoForm,
    )

    def get_permissions_to_register(self):
        """None: video permissions are given per collection, in the Groups admin's own panel."""
        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            process_url_name=self.get_url_name("process"),
            status_url_name=self.get_url_name("status"),
            review_url_name=self.get_url_name("review"),
            **kwargs,
        )

    @cached_property
    def add_view(self):
        """The "add" page is the tus upload: one form post cannot carry gigabytes reliably."""
        return self.construct_view(upload.UploadView)

    @cached_property
    def process_view(self):
        return self.construct_view(ProcessVideoView)

    @cached_property
    def review_view(self):
        return self.construct_view(ReviewChangeView)

    @cached_property
    def trim_view(self):
        return self.construct_view(TrimVideoView)

    @cached_property
    def status_view(self):
        return self.construct_view(VideoStatusView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("process/<int:pk>/", self.process_view, name="process"),
            path("status/", self.status_view, name="status"),
            path("review/<int:pk>/", self.review_view, name="review"),
            path("trim/<int:pk>/", self.trim_view, name="trim"),
            # tus 1.0 (streaming/views/upload.py); also reached with an upload token.
            path("uploads/", upload.uploads_endpoint, name="upload_sessions"),
            path("uploads/<uuid:session_id>/", upload.upload_endpoint, name="upload_session"),
        ]


class VideoChooserViewSet(ChooserViewSet):
    model = Video
    icon = "media"
    choose_one_text = _("Choose a video")
    choose_another_text = _("Choose another video")
    edit_item_text = _("Edit this video")
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView


class VideosWaitingPanel(Component):
    """Editors' dashboard: changes to watched videos that only they can let through."""

    name = "videos_waiting"
    template_name = "streaming/home/videos_waiting.html"
    order = 110
    limit = 20

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        waiting = (
            Video.objects.exclude(pending_version={})
            .select_related("pending_requested_by")
            .order_by("pending_since")
        )
        user = self.request.user
        context["videos"] = [video for video in waiting if may_approve(user, video)][: self.limit]
        return context


class LiveSessionViewSet(ModelViewSet):
    model = LiveSession
    icon = "calendar"
    menu_label = _("Live sessions")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "title",
        "starts_at",
        "topic",
        "visibility",
        LiveStateColumn("state", label=_("State"), sort_key="state"),
        QuestionsColumn("questions", accessor="pk", label=_("Questions")),
    ]
    list_filter = ["state", "topic", "visibility"]
    search_fields = ["title"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = LiveSessionIndexView
    add_view_class = LiveSessionCreateView
    edit_view_class = LiveSessionEditView

    def get_form_class(self, for_update=False):
        return LiveSessionForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            rotate_url_name=self.get_url_name("rotate_key"),
            end_url_name=self.get_url_name("end"),
            series_edit_url_name=live_series_viewset.get_url_name("edit"),
            **kwargs,
        )

    @cached_property
    def rotate_key_view(self):
        return self.construct_view(RotateKeyView)

    @cached_property
    def end_view(self):
        return self.construct_view(EndSessionView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("rotate-key/<int:pk>/", self.rotate_key_view, name="rotate_key"),
            path("end/<int:pk>/", self.end_view, name="end"),
            path("questions/<int:pk>/", LiveQuestionsView.as_view(), name="questions"),
            path("questions/<int:pk>/data/", questions_data, name="questions_data"),
            path(
                "questions/<int:pk>/<int:question_pk>/<slug:action>/",
                question_action,
                name="question_action",
            ),
            path("studio/<int:pk>/", self.studio_view, name="studio"),
            path("studio/<int:pk>/chunk/", ChunkView.as_view(), name="studio_chunk"),
            path("studio/<int:pk>/end/", StudioEndView.as_view(), name="studio_end"),
        ]

    @cached_property
    def studio_view(self):
        return StudioView.as_view(
            chunk_url_name=self.get_url_name("studio_chunk"),
            end_url_name=self.get_url_name("studio_end"),
            edit_url_name=self.get_url_name("edit"),
        )


class LiveSeriesViewSet(ModelViewSet):
    """Weekly series, next to the sessions they make; the same roles may plan them."""

    model = LiveSeries
    icon = "calendar-alt"
    menu_label = _("Weekly live series")
    menu_order = 261
    add_to_admin_menu = True
    list_display = ["title", "first_starts_at", "weeks", "topic", "visibility"]
    list_filter = ["topic"]
    search_fields = ["title"]
    copy_view_enabled = False
    inspect_view_enabled = False
    add_view_class = LiveSeriesCreateView
    edit_view_class = LiveSeriesEditView
    delete_view_class = LiveSeriesDeleteView

    def get_form_class(self, for_update=False):
        return LiveSeriesEditForm if for_update else LiveSeriesCreateForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            session_edit_url_name=live_session_viewset.get_url_name("edit"), **kwargs
        )


class LiveSessionsPanel(Component):
    """Editors' dashboard: sessions live now, and failures of the past week needing a look."""

    name = "live_sessions"
    template_name = "streaming/live/dashboard_panel.html"
    order = 120
    failed_days = 7
    limit = 20

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        since = timezone.now() - timedelta(days=self.failed_days)
        live = LiveSession.objects.filter(state=LiveState.LIVE).order_by("starts_at")
        failed = LiveSession.objects.filter(
            Q(state=LiveState.FAILED) | ~Q(failure_reason=""), ended_at__gte=since
        )
        context["live"] = live[: self.limit]
        context["failed"] = failed.order_by("-ended_at")[: self.limit]
        return context


video_viewset = VideoViewSet("videos")
live_session_viewset = LiveSessionViewSet("live_sessions")
live_series_viewset = LiveSeriesViewSet("live_series")
video_chooser_viewset = VideoChooserViewSet("video_chooser")


@hooks.register("construct_homepage_panels")
def add_videos_waiting_panel(request, panels):
    panels.append(VideosWaitingPanel(request))


@hooks.register("construct_homepage_panels")
def add_live_sessions_panel(request, panels):
    if live_session_viewset.permission_policy.user_has_permission(request.user, "change"):
        panels.append(LiveSessionsPanel(request))


@hooks.register("register_group_permission_panel")
def register_video_permissions_panel():
    return GroupVideoPermissionFormSet


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset, live_session_viewset, live_series_viewset]
