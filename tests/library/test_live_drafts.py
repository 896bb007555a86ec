"""An archived session's recording gets a draft page of its topic's type, submitted for review.

The media engine announces `session_archived`; the tests send it themselves, as the archive task
does once the recording is a ready Video.
"""

import logging
from datetime import timedelta

import pytest
from django.core.files import File
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Workflow, WorkflowState

from library.models import ExercisePage, GuidePage, LiveRecordingPage, RecipePage, TopicPage
from streaming.live.events import session_archived
from streaming.models import LiveSession, LiveState, Video, VideoStatus
from studio import roles
from tests.library.tree import publish
from tests.users import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(db):
    return member("ohjaaja", roles.STAFF_GROUP)


@pytest.fixture
def editor(db):
    return member("toimittaja", roles.EDITORS_GROUP)


def ready_video(title="Tallenne", seconds=1830.0) -> Video:
    """A recording as the archive leaves it: ready, with its duration (no files needed here)."""
    return Video.objects.create(
        title=title,
        status=VideoStatus.READY,
        duration=seconds,
        width=640,
        height=360,
        output_prefix="videos/0/1/",
    )


def archive(host, topic="exercise", video=None, **values) -> tuple[LiveSession, Video]:
    video = video or ready_video()
    session = LiveSession.objects.create(
        title=values.pop("title", "Tuolijumppa livenä"),
        description=values.pop("description", "Jumpataan yhdessä tuolilla istuen."),
        topic=topic,
        starts_at=values.pop("starts_at", timezone.now() - timedelta(hours=1)),
        host=host,
        state=LiveState.ARCHIVED,
        video=video,
        **values,
    )
    session_archived.send(sender=LiveSession, session=session, video=video)
    return session, video


def drafted(session) -> Page | None:
    record = LiveRecordingPage.objects.filter(session=session).first()
    return record.page.specific if record and record.page else None


def topic_titled(tree, title) -> TopicPage:
    return next(topic for topic in tree["topics"] if topic.title == title)


def test_exercise_recording_gets_a_draft_exercise_page_submitted_as_the_host(tree, host, editor):
    session, video = archive(host)
    page = drafted(session)
    assert isinstance(page, ExercisePage)
    assert page.get_parent().specific == topic_titled(tree, "Liikunta")
    assert not page.live and page.has_unpublished_changes
    assert page.title == "Tuolijumppa livenä"
    assert page.summary == "Jumpataan yhdessä tuolilla istuen."
    assert page.video == video and page.duration_minutes == 30
    assert page.owner == host and page.locale.language_code == "fi"
    assert page.latest_revision.user == host
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=host).exists()

    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == host
    assert state.workflow.name == roles.WORKFLOW_NAME
    assert state.current_task_state.task.name == roles.TASK_NAME
    # Waiting for an editor: the host cannot approve it, an editor can.
    task = state.current_task_state.task.specific
    assert task.get_actions(page, host) == []
    assert {name for name, *_ in task.get_actions(page, editor)} >= {"approve", "reject"}


def test_an_editor_can_publish_the_draft_as_it_is(tree, host, editor):
    session, _ = archive(host)
    page = drafted(session)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live and page.url


@pytest.mark.parametrize(
    ("topic", "page_type", "shelf"),
    [
        ("cooking", RecipePage, "Ruoka"),
        ("digital", GuidePage, "Digitaidot"),
        # No café shelf in this tree: the café's guide goes with the digital skills.
        ("cafe", GuidePage, "Digitaidot"),
    ],
)
def test_each_topic_gets_its_page_type_under_its_shelf(tree, host, topic, page_type, shelf):
    session, video = archive(host, topic=topic)
    page = drafted(session)
    assert type(page) is page_type
    assert page.get_parent().specific == topic_titled(tree, shelf)
    assert page.video == video and not page.live
    assert WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def test_cafe_goes_under_a_cafe_shelf_when_there_is_one(tree, host):
    cafe = publish(tree["home"], TopicPage(title="Kahvila", slug="kahvila", icon="cafe"))
    session, _ = archive(host, topic="cafe", title="Etäkahvila")
    page = drafted(session)
    assert isinstance(page, GuidePage) and page.device == "tablet"
    assert page.get_parent().specific == cafe


def test_a_second_signal_makes_no_second_page(tree, host):
    session, video = archive(host)
    first = drafted(session)
    session_archived.send(sender=LiveSession, session=session, video=video)
    assert LiveRecordingPage.objects.filter(session=session).count() == 1
    assert ExercisePage.objects.filter(video=video).count() == 1
    assert WorkflowState.objects.filter(object_id=str(first.pk)).count() == 1


def test_a_draft_an_editor_deleted_is_not_drafted_again(tree, host):
    session, video = archive(host)
    drafted(session).delete()
    session_archived.send(sender=LiveSession, session=session, video=video)
    assert drafted(session) is None
    assert not ExercisePage.objects.filter(video=video).exists()


def test_same_title_twice_gets_its_own_slug(tree, host):
    start = timezone.now() - timedelta(hours=1)
    first, _ = archive(host, starts_at=start)
    second, _ = archive(host, starts_at=start)
    assert drafted(first).slug != drafted(second).slug
    assert drafted(first).slug.startswith("tuolijumppa-livena-")


def test_without_a_description_the_summary_says_what_it_is(tree, host):
    session, _ = archive(host, description="")
    assert drafted(session).summary.strip()


def test_no_fitting_topic_is_logged_and_skipped(tree, host, caplog):
    topic_titled(tree, "Liikunta").unpublish()
    with caplog.at_level(logging.WARNING, logger="library.live.drafts"):
        session, video = archive(host)
    assert drafted(session) is None
    assert not LiveRecordingPage.objects.filter(session=session).exists()
    assert str(session.public_id) in caplog.text
    # Once a shelf exists, a repeated signal drafts the page.
    topic_titled(tree, "Liikunta").save_revision().publish()
    session_archived.send(sender=LiveSession, session=session, video=video)
    assert isinstance(drafted(session), ExercisePage)


def test_without_a_home_page_nothing_breaks(db, host):
    session, _ = archive(host)
    assert drafted(session) is None


def test_a_failure_never_reaches_the_archive(tree, host, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ExercisePage, "save_revision", broken)
    with caplog.at_level(logging.ERROR, logger="library.signal_handlers"):
        session, video = archive(host)  # does not raise
    assert "disk full" in caplog.text
    # Its own transaction rolled back: no half-made page, and a later signal may try again.
    assert not LiveRecordingPage.objects.filter(session=session).exists()
    assert not ExercisePage.objects.filter(video=video).exists()


def test_without_a_workflow_the_page_stays_a_plain_draft(tree, host):
    Workflow.objects.update(active=False)
    session, _ = archive(host)
    page = drafted(session)
    assert not page.live and page.latest_revision is not None
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def test_a_session_without_a_host_is_submitted_by_nobody(tree):
    session, _ = archive(None)
    page = drafted(session)
    assert page.owner is None
    assert WorkflowState.objects.get(object_id=str(page.pk)).requested_by is None


@pytest.mark.slow
def test_a_processed_recording_is_linked_like_a_staff_made_page(tree, host, tmp_path):
    from streaming.jobs import run_processing
    from tests.streaming.clips import make_clip

    video = Video(title="Tuolijumppa livenä")
    with make_clip(tmp_path / "live.mp4", seconds=2).open("rb") as handle:
        video.original.save("live.mp4", File(handle))
    run_processing(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY

    session, _ = archive(host, video=video)
    page = drafted(session)
    assert page.video == video and page.duration_minutes == 1
    assert ExercisePage.objects.filter(video=video).get() == page
