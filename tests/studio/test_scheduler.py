"""Scheduled publishing happens by itself: the scheduler process runs Wagtail's job."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from library.models import ExercisePage
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
