"""The demo loader builds a real, populated library, and running it again changes nothing."""

import pytest
from django.core.management import call_command

from library.models import ExercisePage, GuidePage, HomePage, InfoPage, RecipePage, TopicPage
from streaming.models import Video, VideoStatus

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def counts():
    models = [HomePage, TopicPage, ExercisePage, RecipePage, GuidePage, InfoPage, Video]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_library_is_complete_and_idempotent(
    client, capsys, django_capture_on_commit_callbacks
):
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
