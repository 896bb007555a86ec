"""Settings every test shares: files in a temp dir, tasks run inline, fast password hashing."""

import contextlib
import os

import pytest
from django.core.cache import cache

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


def pytest_configure(config):
    """The embedded SQLite runs in memory for tests, with production's patience for locks."""
    from django.conf import settings
    from django.db import connections

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["ENGINE"] = "tests.sqlite_shared_memory"
        # Django's setup already made this thread's wrapper with the engine it read then.
        with contextlib.suppress(AttributeError):
            del connections["default"]


@pytest.fixture(scope="session", autouse=True)
def _media_through_the_app():
    """Django's live server answers MEDIA_URL straight from MEDIA_ROOT before the URLconf sees
    the request, which would skip the media access check. Production has no such shortcut, so
    the browser tests must not have one either."""
    from django.test import testcases

    testcases._MediaFilesHandler.get_base_url = lambda self: "/__no-direct-media__/"


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATE_DIR = tmp_path / "var"
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.KOTIKANAVA_WORK_DIR = None
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # "QUEUES": [] serves every queue; the tasks' own queue names are checked against the real
    # settings when streaming/tasks.py is imported.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    # Wagtail keeps the sites' root paths in the cache: rows rolled back with a test must not
    # leave their paths to the next one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def browser():
    """Debian chromium for one test module.

    Playwright's sync API keeps an event loop running in this thread while it is open; Django
    then hands out other database connection objects, which breaks later tests' rollbacks. So
    the browser lives no longer than the module that needs it.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def migration_data(django_db_setup, django_db_blocker):
    """What the migrations wrote (root page and collection, locales, roles), as loaded at start."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_db(transactional_db, migration_data):
    """A transactional test's database with the migrations' data back in place.

    A transactional test ends with a flush, which keeps tables but not data migrations' rows.
    Django's serialized_rollback would restore them, but once Playwright has run its event loop
    in this thread Django hands out fresh connection objects without the saved snapshot.
    """
    from django.db import connection
    from wagtail.models import Page

    if not Page.objects.exists():
        from django.core.management import call_command

        # Clear what post_migrate re-created after the flush, then load the snapshot.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(migration_data)
