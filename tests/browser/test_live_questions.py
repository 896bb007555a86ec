"""A viewer's question, typed on a live session's page in chromium, reaches the host's admin
questions page within 3 s; once the host shows it to viewers, the viewer's page lists it as text.

The session is live in the database only (no stream): the page then shows its "starting" notice
and the question form, which is all this needs.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from streaming.models import LiveQuestion, LiveSession, LiveState
from studio.roles import STAFF_GROUP
from tests.browser.conftest import LANDSCAPE, axe_violations, log_in_to_admin
from tests.browser.test_live_end_to_end import WATCH_PAGE, _isolated_settings  # noqa: F401
from tests.helpers import fi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Voiko <b>tuolijumpan</b> tehdä myös seisten?"
TARGET_SECONDS = 3.0


def test_a_question_reaches_the_host_within_3_s_and_viewers_after_approval(
    migrated_db, live_server, browser, settings
):
    settings.KOTIKANAVA_LIVE_POLL_SECONDS = 1
    host = get_user_model().objects.create_user(username="ohjaaja", password="salasana-123")
    host.groups.add(Group.objects.get(name=STAFF_GROUP))
    session = LiveSession.objects.create(
        title="Etäkahvila",
        topic="cafe",
        starts_at=timezone.now(),
        planned_minutes=30,
        state=LiveState.LIVE,
        went_live_at=timezone.now(),
        host=host,
        key_hash="0" * 64,
    )

    # The host, signed in, opens the session's questions page.
    host_context = browser.new_context(viewport=LANDSCAPE, locale="fi-FI")
    host_tab = host_context.new_page()
    log_in_to_admin(host_tab, live_server.url, "ohjaaja", "salasana-123")
    host_tab.goto(f"{live_server.url}/admin/live_sessions/questions/{session.pk}/")
    host_tab.locator("[data-questions-empty]").wait_for(state="visible")

    # A viewer without an account, on the live page.
    viewer_context = browser.new_context(viewport=LANDSCAPE, locale="fi-FI")
    viewer = viewer_context.new_page()
    viewer.add_init_script(WATCH_PAGE)
    viewer.goto(f"{live_server.url}/fi/live/{session.public_id}/", wait_until="load")
    viewer.evaluate("window.__sameDocument = true")
    field = viewer.get_by_label(fi("Your question"))
    field.wait_for(state="visible")
    assert axe_violations(viewer) == []
    button = viewer.get_by_role("button", name=fi("Send the question"))
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    field.fill(QUESTION)
    counter = viewer.locator("[data-question-counter]")
    assert str(280 - len(QUESTION)) in counter.inner_text()
    started = time.monotonic()
    button.click()
    host_tab.get_by_text(QUESTION, exact=True).wait_for(timeout=TARGET_SECONDS * 1000)
    delay = time.monotonic() - started
    print(f"\nquestion from the live page to the host's page: {delay:.2f} s")
    assert delay <= TARGET_SECONDS

    # The viewer is told it went, without a reload; the field is empty for the next one.
    sent = viewer.locator("[data-question-message][role=status]")
    sent.wait_for()
    assert sent.inner_text() == fi("Thank you. Your question was sent to the host.")
    assert field.input_value() == ""
    # Not shown to viewers before the host decides.
    assert viewer.locator("[data-approved-list] li").count() == 0
    assert viewer.locator("[data-approved-questions]").is_hidden()

    # The host shows it to viewers; the viewer's page lists it, as text, not markup.
    host_tab.get_by_role("button", name=fi("Show to viewers")).click()
    host_tab.locator("[data-question-approved]").wait_for(state="visible")
    assert LiveQuestion.objects.get().approved_for_viewers
    item = viewer.locator("[data-approved-list] li")
    item.wait_for(timeout=5_000)
    assert item.inner_text() == QUESTION
    assert viewer.locator("[data-approved-list] b").count() == 0
    assert axe_violations(viewer) == []

    # Marked answered on the host's page: it stays there, marked.
    host_tab.get_by_role("button", name=fi("Mark answered")).click()
    host_tab.locator("[data-question-state]", has_text=fi("Answered")).wait_for()

    assert viewer.evaluate("window.__sameDocument") is True
    assert viewer.evaluate("window.__csp") == []
    viewer_context.close()
    host_context.close()
