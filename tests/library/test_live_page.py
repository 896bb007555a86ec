"""A live session's client page: who sees it, and what it shows in each state of the session."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from library.live.schedule import HELSINKI, session_time
from library.models import LiveRecordingPage
from streaming.models import (
    ArchivePolicy,
    LiveRun,
    LiveSession,
    LiveState,
    LiveVisibility,
    Video,
)
from tests.helpers import fi
from tests.library.tree import exercise_showing, exercise_topic
from tests.users import member

pytestmark = pytest.mark.django_db


def make_session(**values) -> LiveSession:
    values = {
        "title": "Tuolijumppa livenä",
        "description": "Jumpataan yhdessä tuolilla istuen.",
        "starts_at": timezone.now() + timedelta(hours=2),
        "planned_minutes": 45,
        **values,
    }
    return LiveSession.objects.create(**values)


def page_url(session, language="fi") -> str:
    with translation.override(language):
        return reverse("live_session_page", kwargs={"public_id": session.public_id})


def panel_url(session) -> str:
    with translation.override("fi"):
        return reverse("live_session_panel", kwargs={"public_id": session.public_id})


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def signed_in(db):
    client = Client()
    client.force_login(member("asiakas", "Sisällöntuottajat"))
    return client


def test_url_is_per_language_and_known_to_the_status_json(client):
    session = make_session()
    assert page_url(session) == f"/fi/live/{session.public_id}/"
    assert page_url(session, "sv") == f"/sv/live/{session.public_id}/"
    status = client.get(f"/live/{session.public_id}/status/").json()
    assert status["page"] == page_url(session)


def test_public_session_page_shows_title_topic_time_and_description(client):
    session = make_session(topic="cooking")
    response = client.get(page_url(session))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Tuolijumppa livenä" in html and "Jumpataan yhdessä tuolilla istuen." in html
    with translation.override("fi"):
        assert str(session.get_topic_display()) in html
        assert session_time(session) in html
    assert 'data-live-state="scheduled"' in html and "data-countdown" in html
    # The page's scripts come from our static files, never inline.
    assert "/static/library/js/live.js" in html and "<script>" not in html


def test_time_reads_in_helsinki_time_in_finnish_format(client):
    # 07:30 UTC in summer is 10.30 in Helsinki; Finnish writes times with a full stop.
    start = timezone.now().replace(hour=7, minute=30, second=0, microsecond=0)
    start = start.replace(month=7, day=14, year=timezone.now().year + 1)
    session = make_session(starts_at=start, planned_minutes=45)
    with translation.override("fi"):
        text = session_time(session)
    assert "10.30–11.15" in text
    weekday = date_format(start.astimezone(HELSINKI), "l")
    assert text.startswith(weekday) and "14. heinäkuuta" in text


def test_signed_in_only_session_is_hidden_from_anonymous_visitors(client, signed_in):
    session = make_session(visibility=LiveVisibility.SIGNED_IN)
    assert client.get(page_url(session)).status_code == 404
    assert client.get(panel_url(session)).status_code == 404
    assert signed_in.get(page_url(session)).status_code == 200
    assert signed_in.get(panel_url(session)).status_code == 200


def test_unknown_session_is_404(client):
    assert client.get("/fi/live/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_live_state_shows_the_live_player_without_autoplay(client):
    session = make_session(state=LiveState.LIVE, starts_at=timezone.now())
    html = html_of(client, page_url(session))
    assert "data-hls-src" not in html, "no player before the packager's first segments"
    assert fi("The broadcast is starting. The picture appears here in a moment.") in html
    LiveRun.objects.create(session=session, number=1, segments=1)
    html = html_of(client, page_url(session))
    assert 'data-live-state="live"' in html
    assert f'data-hls-src="/media/live/{session.public_id}/master.m3u8"' in html
    assert "autoplay" not in html and 'preload="none"' in html
    assert fi("Watch the broadcast") in html
    assert "/static/library/js/player.js" in html


def test_player_is_only_there_while_live(client):
    session = make_session()
    assert "data-hls-src" not in html_of(client, page_url(session))


@pytest.mark.parametrize(
    ("state", "policy", "message", "final"),
    [
        (
            "ended",
            ArchivePolicy.REVIEW,
            "The session has ended. The recording is being prepared.",
            False,
        ),
        ("ended", ArchivePolicy.NONE, "The session has ended.", True),
        (
            "failed",
            ArchivePolicy.REVIEW,
            "Unfortunately the session could not be shown or recorded.",
            True,
        ),
        (
            "archived",
            ArchivePolicy.REVIEW,
            "The session has ended. The recording will be available after review.",
            False,
        ),
    ],
)
def test_states_after_the_broadcast(client, state, policy, message, final):
    session = make_session(
        state=state, archive_policy=policy, starts_at=timezone.now() - timedelta(hours=1)
    )
    html = html_of(client, panel_url(session))
    assert f'data-live-state="{state}"' in html
    assert fi(message) in html
    assert "data-hls-src" not in html
    # Nothing more will change: the page's script stops polling.
    assert ("data-final" in html) is final
    # The panel is a fragment for the page's script, not a whole page.
    assert "<html" not in html


def test_archived_session_links_its_recording_page_only_once_published(client):
    topic = exercise_topic()
    video = Video.objects.create(title="Tuolijumppa livenä")
    session = make_session(
        state=LiveState.ARCHIVED, video=video, starts_at=timezone.now() - timedelta(hours=1)
    )
    draft = exercise_showing(video, topic, slug="tuolijumppa-livena", live=False)
    LiveRecordingPage.objects.create(session=session, page=draft)

    html = html_of(client, page_url(session))
    assert "data-recording-pending" in html and "tuolijumppa-livena" not in html

    draft.save_revision().publish()
    html = html_of(client, page_url(session))
    assert "data-recording-pending" not in html and "data-final" in html
    assert f'href="{draft.url}"' in html and fi("Watch the recording") in html


def test_a_published_page_showing_the_recording_counts_too(client):
    video = Video.objects.create(title="Tallenne")
    page = exercise_showing(video, slug="toimittajan-sivu")
    session = make_session(state=LiveState.ARCHIVED, video=video)
    assert f'href="{page.url}"' in html_of(client, page_url(session))


def test_a_private_page_is_not_offered_as_the_recording(client):
    from wagtail.models import PageViewRestriction

    video = Video.objects.create(title="Tallenne")
    page = exercise_showing(video, slug="ryhman-sivu")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    session = make_session(state=LiveState.ARCHIVED, video=video)
    html = html_of(client, page_url(session))
    assert "data-recording-pending" in html and "ryhman-sivu" not in html


def test_language_menu_links_the_same_session_in_other_languages(client):
    session = make_session()
    html = html_of(client, page_url(session))
    assert f'href="{page_url(session, "sv")}"' in html


def test_status_may_be_shared_for_a_public_session_only(client, signed_in):
    from streaming.models import LiveVisibility

    public, members = make_session(), make_session(visibility=LiveVisibility.SIGNED_IN)
    for viewer in (client, signed_in):
        answer = viewer.get(f"/live/{public.public_id}/status/")
        assert answer["Cache-Control"] == "public, max-age=1"
    answer = signed_in.get(f"/live/{members.public_id}/status/")
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-cache"
    assert client.get(f"/live/{members.public_id}/status/").status_code != 200
