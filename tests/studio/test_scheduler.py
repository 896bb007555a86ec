"""The scheduler process runs the periodic jobs: scheduled publishing, dead processing jobs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend

from library.models import ExercisePage
from streaming.models import Video, VideoStatus
from tests.library.tree import build_tree


@pytest.mark.django_db
def test_scheduled_page_goes_live_when_its_time_comes():
    tree = build_tree()
    page = ExercisePage(
        title="Iltajumppa",
        slug="iltajumppa",
        summary="Illan jumppa.",
        position="seated",
        video=tree["chair"].video,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    tree["topics"][0].add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, waiting

    call_command("run_scheduler", once=True)
    page.refresh_from_db()
    assert not page.live  # not yet time

    # Let the clock pass the go-live time (as if an hour went by).
    past = timezone.now() - timedelta(minutes=1)
    revision = page.latest_revision
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("run_scheduler", once=True)
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_scheduler_queues_a_silent_processing_job_again_once(settings, tmp_path):
    settings.KOTIKANAVA_WORK_DIR = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    settings.KOTIKANAVA_STALL_SECONDS = 60
    default_task_backend.clear()
    video = Video.objects.create(
        title="Jumppa",
        status=VideoStatus.PROCESSING,
        heartbeat_at=timezone.now() - timedelta(minutes=5),
    )

    call_command("run_scheduler", once=True)
    call_command("run_scheduler", once=True)

    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED
    assert [r.args for r in default_task_backend.results if r.task.name == "process_video"] == [
        [video.pk]
    ]
