"""The transcript under a video, built on the server from the published captions."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from library.transcripts import TranscriptLine, lines_of, transcript_for
from streaming.models import Video, VideoStatus
from tests.library.tree import exercise_showing

VTT = """WEBVTT
Kind: captions

NOTE written by staff

intro
00:00:00.000 --> 00:00:02.500
<v Ohjaaja>Istu <i>tuolille</i>.</v>

00:00:02.500 --> 00:00:04.000
Istu tuolille.

00:00:04.000 --> 00:01:05.000 align:start
Hengitä syvään
&amp; rauhassa.
"""


def test_lines_are_plain_text_with_their_times():
    assert lines_of(VTT) == [
        TranscriptLine(0.0, 4.0, "Istu tuolille."),  # the repeat only lengthens the first
        TranscriptLine(4.0, 65.0, "Hengitä syvään & rauhassa."),
    ]


@pytest.mark.parametrize(
    ("start", "stamp"), [(0, "0:00"), (4.9, "0:04"), (65, "1:05"), (3723.5, "1:02:03")]
)
def test_stamps_read_as_a_clock(start, stamp):
    assert TranscriptLine(start, start + 1, "x").stamp == stamp


def _published(captions: dict[str, str]) -> Video:
    video = Video.objects.create(title="Tuolijumppa", status=VideoStatus.READY)
    prefix = f"videos/{video.pk}/1/"
    tracks = []
    for language, text in captions.items():
        uri = f"captions/{language}.vtt"
        default_storage.save(prefix + uri, ContentFile(text.encode()))
        tracks.append({"language": language, "label": language.upper(), "uri": uri})
    video.output_prefix = prefix
    video.output_manifest = {"media_prefix": prefix, "files": [], "captions": tracks}
    video.save()
    return video


@pytest.mark.django_db
def test_transcript_in_the_page_language_else_the_first_track():
    video = _published({"fi": VTT, "sv": "WEBVTT\n\n00:01.000 --> 00:02.000\nSitt ner.\n"})
    assert transcript_for(video, "sv").lines == [TranscriptLine(1.0, 2.0, "Sitt ner.")]
    assert transcript_for(video, "fi").language == "fi"
    assert transcript_for(video, "en").language == "fi"


@pytest.mark.django_db
def test_no_transcript_without_captions_or_with_a_missing_file():
    assert transcript_for(_published({}), "fi") is None
    video = _published({"fi": VTT})
    default_storage.delete(video.output_prefix + "captions/fi.vtt")
    assert transcript_for(video, "fi") is None


@pytest.mark.django_db
def test_page_shows_transcript_and_captions_on_by_default(client, settings):
    page = exercise_showing(_published({"fi": VTT}))
    html = client.get(page.url).content.decode()

    assert re.search(r'<track kind="captions" srclang="fi" [^>]*\bdefault>', html)
    transcript = re.search(r'<ol class="transcript__lines" lang="fi"[^>]*>(.*?)</ol>', html, re.S)
    assert transcript
    assert "Hengitä syvään &amp; rauhassa." in transcript[1]
    assert 'data-seek="4.000"' in transcript[1]
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # nothing inline (CSP)

    settings.KOTIKANAVA_CAPTIONS_ON_BY_DEFAULT = False
    html = client.get(page.url).content.decode()
    assert '<track kind="captions" srclang="fi"' in html
    assert not re.search(r"<track [^>]*\bdefault>", html)
