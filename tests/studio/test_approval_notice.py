"""An editor approving a page is told that it is now published and clients see it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import WorkflowState

from studio import roles
from tests.library.tree import build_tree
from tests.studio.test_roles import form_data
from tests.users import logged_in_in_english, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client):
    """A page whose change a staff member has sent for the editors' review."""
    page = build_tree()["chair"]
    client.force_login(member("ohjaaja", roles.STAFF_GROUP))
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(edit, form_data(client, page, "Tuolijumppa aamulla", "action-submit"))
    return page


def approve(client, page):
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    return client.post(url, {"comment": ""}, follow=True)


def published_message(title: str) -> str:
    with translation.override("en"):
        return gettext("“%(title)s” is approved and published: clients can see it now.") % {
            "title": title
        }


def test_approving_tells_the_editor_the_page_is_published(submitted):
    editor = logged_in_in_english(member("toimittaja", roles.EDITORS_GROUP))
    response = approve(editor, submitted)

    submitted.refresh_from_db()
    assert submitted.live and submitted.title == "Tuolijumppa aamulla"
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    expected = published_message("Tuolijumppa aamulla")
    assert any(expected in text for text in shown), shown
    assert expected in response.content.decode()
    assert submitted.get_url() in response.content.decode()  # "View live"

    # Told once: the next page says nothing more.
    again = editor.get(reverse("wagtailadmin_home"))
    assert expected not in again.content.decode()


def test_rejecting_says_nothing_about_publishing(submitted):
    editor = logged_in_in_english(member("toimittaja", roles.EDITORS_GROUP))
    state = WorkflowState.objects.get(object_id=str(submitted.pk), status="in_progress")
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[submitted.pk, "reject", state.current_task_state.pk],
    )
    response = editor.post(url, {"comment": ""}, follow=True)
    assert "published" not in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert published_message("Tuolijumppa aamulla") not in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.live_revision.content["title"] == "Tuolijumppa"
