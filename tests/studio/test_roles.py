"""Staff write and submit; only editors publish. Checked through the admin, as people use it."""

import pytest
from wagtail.models import WorkflowState

from studio import roles
from tests.library.tree import build_tree
from tests.users import member


@pytest.fixture
def staff(db):
    return member("ohjaaja", roles.STAFF_GROUP)


@pytest.fixture
def editor(db):
    return member("toimittaja", roles.EDITORS_GROUP)


@pytest.fixture
def page(db):
    return build_tree()["chair"]


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def test_staff_can_edit_but_not_publish(client, staff, page):
    permissions = page.permissions_for_user(staff)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert not permissions.can_delete()

    client.force_login(staff)
    form = client.get(edit_url(page))
    assert form.status_code == 200
    assert b'name="action-publish"' not in form.content
    assert b'name="action-submit"' in form.content


def test_staff_publish_attempt_is_not_published(client, staff, page):
    client.force_login(staff)
    data = form_data(client, page, title="Muutettu otsikko", action="action-publish")
    client.post(edit_url(page), data)
    page.refresh_from_db()
    assert page.title == "Tuolijumppa"
    assert page.live_revision.content["title"] == "Tuolijumppa"


def test_staff_submission_goes_to_editors(client, staff, editor, page):
    client.force_login(staff)
    client.post(edit_url(page), form_data(client, page, "Uusi otsikko", "action-submit"))
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == roles.TASK_NAME
    page.refresh_from_db()
    assert page.title == "Tuolijumppa"  # still the published version
    task = state.current_task_state.task.specific
    assert {name for name, *_ in task.get_actions(page, editor)} >= {"approve", "reject"}
    assert task.get_actions(page, staff) == []


def test_editor_can_publish(client, editor, page):
    assert page.permissions_for_user(editor).can_publish()
    client.force_login(editor)
    client.post(edit_url(page), form_data(client, page, "Julkaistu otsikko", "action-publish"))
    page.refresh_from_db()
    assert page.title == "Julkaistu otsikko"


def test_staff_change_their_own_videos_and_editors_everyones(staff, editor):
    from streaming.models import Video
    from streaming.permissions import permission_policy as policy

    own = Video.objects.create(title="Oma", uploaded_by=staff)
    colleagues = Video.objects.create(title="Toisen", uploaded_by=editor)
    assert policy.user_has_permission(staff, "add")
    for action in ("change", "delete"):
        assert policy.user_has_permission_for_instance(staff, action, own)
        assert not policy.user_has_permission_for_instance(staff, action, colleagues)
        assert policy.user_has_permission_for_instance(editor, action, own)
    assert policy.user_has_permission_for_instance(staff, "choose", colleagues)


def test_editor_manages_collections(editor):
    from wagtail.models import Collection
    from wagtail.permission_policies.collections import CollectionManagementPermissionPolicy

    policy = CollectionManagementPermissionPolicy(Collection)
    assert policy.user_has_permission(editor, "add")


def form_data(client, page, title, action):
    """The exercise edit form as the browser posts it, with a new title and the chosen action."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "summary": page.summary,
            "easy_read": rich_text(""),
            "tags": "",
            "related_links": inline_formset([]),
            "video": page.video_id,
            "duration_minutes": page.duration_minutes,
            "level": page.level,
            "position": page.position,
            "equipment": page.equipment,
            "safety_notes": rich_text(""),
            "steps": streamfield([]),
            action: action.removeprefix("action-"),
        }
    )
