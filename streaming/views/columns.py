"""Table columns of the video library and the small labels they show."""

from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column

from streaming.models import Video, VideoStatus

ACTIVE = (VideoStatus.QUEUED, VideoStatus.PROCESSING)

# Wagtail's status tag modifiers: ready is the "primary" (filled) tag, failure stands out.
STATUS_CLASSES = {
    VideoStatus.READY: "w-status--primary",
    VideoStatus.FAILED: "streaming-status--failed",
}


def can_process(video: Video) -> bool:
    """Processing can be asked for when there is an original and no job is waiting or running."""
    return bool(video.original) and video.status not in ACTIVE


def process_is_next_step(video: Video) -> bool:
    """Processing is what a failed or never processed video needs next, so it is shown in front;
    for a ready video it is maintenance (after a pipeline change) and sits in a menu."""
    return can_process(video) and video.status in (VideoStatus.FAILED, VideoStatus.UPLOADED)


def duration_label(video: Video) -> str:
    """mm:ss (h:mm:ss past an hour), as the player shows it."""
    if video.duration is None:
        return ""
    total = round(video.duration)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def eta_label(video: Video) -> str:
    if video.status not in (VideoStatus.QUEUED, VideoStatus.PROCESSING):
        return ""
    if video.eta_seconds is None:
        return str(_("Estimating time left…")) if video.status == VideoStatus.PROCESSING else ""
    if video.eta_seconds < 60:
        return str(_("Less than a minute left"))
    minutes = round(video.eta_seconds / 60)
    return ngettext("About %(count)d minute left", "About %(count)d minutes left", minutes) % {
        "count": minutes
    }


class PosterColumn(Column):
    """A small poster once the video is ready; decorative, the title sits next to it."""

    cell_template_name = "streaming/tables/poster_cell.html"

    def get_value(self, instance):
        return instance.poster_url if instance.is_playable else ""


class StatusColumn(Column):
    """Status tag; progress and time left while processing; the reason and a retry on failure
    (or "Process" for a video never processed)."""

    cell_template_name = "streaming/tables/status_cell.html"

    def __init__(
        self, name, process_url_name, next_url="", show_detail=False, can_change=False, **kwargs
    ):
        super().__init__(name, **kwargs)
        self.next_url = next_url
        self.process_url_name = process_url_name
        self.show_detail = show_detail
        self.can_change = can_change

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context.update(
            status_context(instance, show_detail=self.show_detail, can_change=self.can_change)
        )
        context.update(
            {
                "process_url_name": self.process_url_name,
                "next_url": self.next_url,
                # Cells are rendered without the request's context processors.
                "csrf_token": get_token(request) if request else "",
            }
        )
        return context


def status_context(video: Video, show_detail: bool, can_change: bool) -> dict:
    """What includes/video_status.html needs, for the listing and the edit page alike."""
    return {
        "video": video,
        "status_label": video.get_status_display(),
        "status_class": STATUS_CLASSES.get(video.status, ""),
        "active": video.status in ACTIVE,
        "progress": round(video.progress or 0),
        "eta": eta_label(video),
        "show_detail": show_detail,
        # Only the next step is a button here; "Process again" is in the row's and page's menus.
        "can_process": can_change and process_is_next_step(video),
    }
