"""The demo loader builds a real, populated library, and running it again changes nothing.

Its videos speak (a speech-like voice, not silence) in sentences that their Finnish captions, and
Swedish ones on the chair exercise, line up with. The clips are short here (a setting).
"""

import re
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from library.demo import content
from library.models import ExercisePage, GuidePage, HomePage, InfoPage, RecipePage, TopicPage
from streaming.models import Video, VideoStatus
from streaming.pipeline.captions import parse
from streaming.pipeline.download import DOWNLOAD

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CLIP_SECONDS = 6


@pytest.fixture(autouse=True)
def _short_clips(settings):
    settings.KOTIKANAVA_DEMO_CLIP_SECONDS = CLIP_SECONDS


def counts():
    models = [HomePage, TopicPage, ExercisePage, RecipePage, GuidePage, InfoPage, Video]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_library_is_complete_and_idempotent(
    client, capsys, django_capture_on_commit_callbacks
):  # one test: loading the demo runs real transcodes
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    first = counts()
    for model in (ExercisePage, RecipePage, GuidePage):
        assert model.objects.filter(locale__language_code="fi").live().count() >= 2
    assert TopicPage.objects.filter(locale__language_code="fi").count() == 3
    assert TopicPage.objects.filter(locale__language_code="sv").count() == 3
    assert set(Video.objects.values_list("status", flat=True)) == {VideoStatus.READY}
    assert "password" in capsys.readouterr().out

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_demo")
    assert counts() == first
    assert callbacks == []  # nothing processed again

    home = client.get("/fi/")
    assert home.status_code == 200
    for topic in ("Liikunta", "Ruoka", "Digitaidot"):
        assert topic in home.content.decode()
    exercise = ExercisePage.objects.filter(locale__language_code="fi").first()
    page = client.get(exercise.url).content.decode()
    assert exercise.video.master_url in page
    assert client.get(exercise.video.master_url).status_code == 200

    assert_captions_follow_the_voice()
    assert_the_voice_is_heard(exercise.video)
    assert_page_shows_captions(client, exercise)
    assert_every_page_opens_in_the_editor(client)


def assert_every_page_opens_in_the_editor(client):
    """An editor can open every demo page, in every language, in the page editor (rich text
    that Wagtail's editor cannot convert would be a server error there)."""
    from wagtail.models import Page

    from studio.roles import EDITORS_GROUP
    from tests.users import member

    client.force_login(member("demo-editor", EDITORS_GROUP))
    for page in Page.objects.filter(depth__gt=1):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, (page.url_path, page.locale.language_code)


def read(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_captions_follow_the_voice():
    """Every demo video is as long as the setting and captioned in Finnish, sentence by sentence
    from its start to its end; the chair exercise in Swedish too, at the same times."""
    slugs = {
        page.video_id: page.slug
        for model in (ExercisePage, RecipePage, GuidePage)
        for page in model.objects.filter(locale__language_code="fi", video__isnull=False)
    }
    videos = Video.objects.all()
    assert videos
    for video in videos:
        sentences = content.CAPTIONS[slugs[video.pk]]
        assert video.duration == pytest.approx(CLIP_SECONDS, abs=0.5)
        tracks = {caption.language: caption for caption in video.captions.all()}
        assert "fi" in tracks, video.title
        for language, caption in tracks.items():
            cues = parse(caption.file.read())
            assert [cue.text for cue in cues] == sentences[language]
            assert caption.transcript.splitlines() == sentences[language]
            assert cues[0].start <= 0.1 * CLIP_SECONDS
            assert cues[-1].end >= 0.8 * CLIP_SECONDS
            assert cues[-1].end <= CLIP_SECONDS
            for before, after in zip(cues, cues[1:], strict=False):
                assert before.start < before.end < after.start  # a pause between sentences
        # The published master playlist declares every track.
        declared = {track["language"] for track in video.output_manifest["captions"]}
        assert declared == set(tracks)
    swedish = Video.objects.filter(captions__language="sv")
    assert list(swedish.values_list("title", flat=True)) == ["Tuolijumppa aamuun"]
    fi, sv = (swedish.get().captions.get(language=code) for code in ("fi", "sv"))
    fi_times = [(c.start, c.end) for c in parse(fi.file.read())]
    assert [(c.start, c.end) for c in parse(sv.file.read())] == fi_times


def assert_the_voice_is_heard(video: Video):
    """The processed sound is at a speaking level, not silence (or a faint hum)."""
    path = default_storage.path(video.output_path(DOWNLOAD))
    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-i", path, "-vn", "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    mean = float(re.search(r"mean_volume: (-?[\d.]+) dB", result.stderr).group(1))
    assert mean > -35, result.stderr[-500:]


def assert_page_shows_captions(client, exercise):
    """The exercise page offers its tracks to the player and prints the transcript."""
    page = read(client.get(exercise.url))
    for caption in exercise.video.captions.all():
        assert f'srclang="{caption.language}"' in page
    first_sentence = content.CAPTIONS[exercise.slug]["fi"][0]
    assert first_sentence in page
    master = read(client.get(exercise.video.master_url))
    assert "TYPE=SUBTITLES" in master and 'LANGUAGE="fi"' in master
