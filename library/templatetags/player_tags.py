"""Template tags for a page's video: default captions, transcript, saved file name."""

from django import template
from django.conf import settings
from django.utils import translation

from library.transcripts import choose_track, transcript_for
from streaming.delivery import download_filename as _download_filename

register = template.Library()


@register.simple_tag
def default_caption_language(video) -> str:
    """The caption track shown when playback starts: the page's language if the video has it,
    else its first track; none when the site turns captions off by default."""
    if not getattr(settings, "KOTIKANAVA_CAPTIONS_ON_BY_DEFAULT", True):
        return ""
    track = choose_track(video.published_captions, translation.get_language() or "")
    return track["language"] if track else ""


@register.simple_tag
def video_transcript(video):
    return transcript_for(video, translation.get_language() or "")


@register.filter
def download_filename(title: str) -> str:
    return _download_filename(title)
