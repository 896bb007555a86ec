"""Browser tests: the demo library served by a live server and driven in Debian's chromium.

The demo is built once per module and removed afterwards. pytest-django's `live_server` fixture
would force `transactional_db` on every test, flushing the demo after each one (and building it
takes longer than all the checks together), so the module starts pytest-django's own LiveServer
helper itself. Each test still runs inside `db`'s transaction; with SQLite in memory the server
thread shares that connection, so it sees the demo and whatever it writes is rolled back.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls in it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("KOTIKANAVA_ADMIN_PASSWORD", "browser-tests")

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CAPTIONS = (
    "WEBVTT\n\n00:00.000 --> 00:03.000\nIstu tuolille.\n\n00:03.000 --> 00:06.000\nHengitä.\n"
)

PORTRAIT = {"width": 800, "height": 1280}
LANDSCAPE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}


@pytest.fixture(autouse=True)
def _isolated_settings():
    """Replaces tests/conftest.py's per-test settings: the module's demo owns MEDIA_ROOT."""


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory):
    state = tmp_path_factory.mktemp("browser")
    with override_settings(
        MEDIA_ROOT=state / "media",
        STATE_DIR=state / "var",
        KOTIKANAVA_WORK_DIR=None,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Short demo clips keep the module's one transcode quick.
        KOTIKANAVA_DEMO_CLIP_SECONDS=12,
        # Only one video is processed (below): the others show the "being prepared" state.
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}},
    ):
        yield state


def _restore(baseline):
    """Leave the database as the module found it, as Django's serialized rollback does.

    (Django's own snapshot is not reachable here: once Playwright runs its event loop in this
    thread, asgiref hands out another connection object for the same in-memory database.)
    """
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(baseline)


@pytest.fixture(scope="module")
def demo(demo_settings, django_db_setup, django_db_blocker):
    """The demo library with one processed, captioned video; a dict of its pages by name."""
    from library.models import ExercisePage, GuidePage, HomePage, InfoPage, RecipePage, TopicPage
    from streaming.models import Caption
    from streaming.tasks import process_video

    with django_db_blocker.unblock():
        baseline = connection.creation.serialize_db_to_string()
        try:
            call_command("load_demo", verbosity=0)
            exercise = ExercisePage.objects.get(
                locale__language_code="fi", slug="tuolijumppa-aamuun"
            )
            # Captions before processing: the published version carries them, as pages show
            # only the published version's captions.
            # The demo's own Finnish captions are replaced by these short, known cues.
            Caption.objects.update_or_create(
                video_id=exercise.video_id,
                language="fi",
                defaults={
                    "label": "Suomi",
                    "file": ContentFile(CAPTIONS.encode(), name="tuolijumppa.vtt"),
                },
            )
            process_video.call(exercise.video_id)
            pages = {}
            for language in ("fi", "sv"):

                def first(model, language=language, **filters):
                    return model.objects.live().filter(locale__language_code=language, **filters)[0]

                pages[language] = {
                    "home": first(HomePage),
                    "topic": first(TopicPage, slug="liikunta"),
                    "exercise": first(ExercisePage, slug="tuolijumppa-aamuun"),
                    "recipe": first(RecipePage, slug="linssikeitto"),
                    "guide": first(GuidePage, slug="videopuhelu-tabletilla"),
                    "info": first(InfoPage, slug="saavutettavuus"),
                }
            urls = {
                language: {name: page.url for name, page in named.items()}
                for language, named in pages.items()
            }
            sessions = _live_sessions()
            for language in urls:
                urls[language]["topic_filtered"] = urls[language]["topic"] + "?level=easy"
                urls[language]["print"] = urls[language]["recipe"] + "print/"
                urls[language]["search"] = f"/{language}/search/?q=tuoli"
                urls[language]["saved"] = f"/{language}/saved/"
                for state, session in sessions.items():
                    urls[language][f"live_{state}"] = f"/{language}/live/{session.public_id}/"
            # Render everything once so that image renditions exist before the timed checks.
            client = Client()
            for named in urls.values():
                for url in named.values():
                    assert client.get(url).status_code == 200, url
            yield urls
        finally:
            _restore(baseline)


def _live_sessions():
    """One live session per state a client can meet: counting down, live (the packager has
    written its first segment, so the page shows the player), and ended."""
    from datetime import timedelta

    from django.utils import timezone

    from streaming.models import LiveRun, LiveSession, LiveState

    now = timezone.now()
    sessions = {
        "countdown": LiveSession.objects.create(
            title="Tuolijumppa livenä",
            description="Jumpataan yhdessä tuolilla istuen.",
            starts_at=now + timedelta(hours=2),
            planned_minutes=45,
        ),
        "live": LiveSession.objects.create(
            title="Etäkahvila",
            topic="cafe",
            starts_at=now,
            planned_minutes=30,
            state=LiveState.LIVE,
            went_live_at=now,
        ),
        "ended": LiveSession.objects.create(
            title="Ruokalähetys",
            starts_at=now - timedelta(hours=1),
            planned_minutes=30,
            state=LiveState.ENDED,
            ended_at=now,
        ),
    }
    LiveRun.objects.create(session=sessions["live"], number=1, segments=1)
    return sessions


@pytest.fixture(scope="module")
def server(demo, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        live = LiveServer("127.0.0.1")
    live._live_server_modified_settings.enable()
    yield live
    live._live_server_modified_settings.disable()
    live.stop()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on a Playwright page, one line each."""
    # Evaluated through the DevTools protocol: a <script> tag would break the page's CSP.
    page.evaluate(AXE_PATH.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: [
            'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']},
            resultTypes: ['violations']})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def log_in_to_admin(page, base_url: str, username: str, password: str) -> None:
    """Sign in through Wagtail's login form, as staff do."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


class Tab:
    """A Playwright page that remembers every URL it requested."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.requests = []
        page.on("request", lambda request: self.requests.append(request.url))

    def open(self, path):
        self.requests.clear()
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, path
        return response

    def foreign_requests(self):
        host = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != host
        ]

    def axe_violations(self):
        return axe_violations(self.page)


@pytest.fixture(scope="module")
def shared_tab(browser, server):
    """One page reused across URLs: the layout checks need no fresh cache."""
    context = browser.new_context(viewport=PORTRAIT)
    yield Tab(context.new_page(), server.url)
    context.close()


@pytest.fixture
def open_tab(browser, server, db):
    """Factory: a fresh context (no cache, no cookies) at the given viewport."""
    contexts = []

    def factory(viewport=PORTRAIT, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        return Tab(context.new_page(), server.url)

    yield factory
    for context in contexts:
        context.close()
