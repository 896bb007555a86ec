"""Library's part in the media engine's rules: which pages show a video."""

from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page

from library.models import ContentPage
from streaming.access import PAGES_USING_VIDEOS


def _video_page_paths() -> list[str]:
    """Lookup paths from Page to each page type's `video` field (exercise, recipe, guide)."""
    paths = []
    for model in ContentPage.__subclasses__():
        if any(field.name == "video" for field in model._meta.get_fields()):
            paths.append(f"contentpage__{model._meta.model_name}__video__in")
    return paths


@hooks.register(PAGES_USING_VIDEOS)
def content_pages_using_videos(video_ids):
    condition = Q()
    for path in _video_page_paths():
        condition |= Q(**{path: video_ids})
    return Page.objects.filter(condition) if condition else Page.objects.none()


@hooks.register("register_admin_viewset")
def register_accessibility_feedback():
    from library.feedback.viewsets import accessibility_feedback_viewset

    return accessibility_feedback_viewset
