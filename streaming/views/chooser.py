"""The video chooser pages use: ready videos first, each with its poster and status.

Videos still being processed can be chosen too (staff often write the page while the upload is
processing); the status column says which ones clients can already watch. Only videos in
collections where the person may choose videos are offered (streaming.permissions).
"""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser

from streaming.models import VideoStatus
from streaming.permissions import videos_user_may_choose
from streaming.views.columns import PosterColumn, duration_label


class StatusTagColumn(Column):
    cell_template_name = "streaming/tables/status_tag_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["ready"] = instance.status == VideoStatus.READY
        return context


class VideoChooseViewMixin:
    ordering = None

    def get_object_list(self):
        ready_first = Case(
            When(status=VideoStatus.READY, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        videos = videos_user_may_choose(self.request.user).annotate(ready_first=ready_first)
        return videos.order_by("ready_first", "-created_at")

    @property
    def columns(self):
        return [
            self.title_column,
            PosterColumn("poster", label=_("Poster"), width="120px"),
            StatusTagColumn("status", label=_("Status"), accessor="get_status_display"),
            Column("duration", label=_("Duration"), accessor=duration_label),
        ]


class VideoChooseView(VideoChooseViewMixin, chooser.ChooseView):
    pass


class VideoChooseResultsView(VideoChooseViewMixin, chooser.ChooseResultsView):
    pass
