"""Videos follow Wagtail's collection and ownership policy, as images and documents do: staff
see and change their own, editors all; uploads and moves go only into collections the person
may add to; the chooser offers only what the person may choose."""

import base64
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Collection, GroupCollectionPermission

from streaming.models import Video, VideoStatus
from studio import roles
from tests.users import logged_in_in_english, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dummy_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }


@pytest.fixture
def anna(db):
    return member("anna", roles.STAFF_GROUP)


@pytest.fixture
def bertta(db):
    return member("bertta", roles.STAFF_GROUP)


@pytest.fixture
def editor(db):
    return member("toimittaja", roles.EDITORS_GROUP)


@pytest.fixture
def annas(anna):
    return Video.objects.create(title="Annan tuolijumppa", uploaded_by=anna)


@pytest.fixture
def berttas(bertta):
    return Video.objects.create(title="Bertan pannukakku", uploaded_by=bertta)


def edit_data(video, **fields):
    return {"title": video.title, "collection": video.collection_id, **fields}


def listing(client) -> str:
    return client.get(reverse("videos:index")).content.decode()


def test_staff_see_and_edit_their_own_videos(anna, annas, berttas):
    client = logged_in_in_english(anna)
    html = listing(client)
    assert "Annan tuolijumppa" in html
    assert "Bertan pannukakku" not in html

    response = client.post(
        reverse("videos:edit", args=[annas.pk]), edit_data(annas, title="Tuolijumppa osa 1")
    )
    assert response.status_code == 302
    annas.refresh_from_db()
    assert annas.title == "Tuolijumppa osa 1"


def test_staff_cannot_open_change_or_delete_anothers_video(anna, annas, berttas):
    client = logged_in_in_english(anna)
    edit_url = reverse("videos:edit", args=[berttas.pk])
    delete_url = reverse("videos:delete", args=[berttas.pk])
    for response in (
        client.get(edit_url, follow=True),
        client.post(edit_url, edit_data(berttas, title="Kaapattu"), follow=True),
        client.post(delete_url, follow=True),
        client.post(reverse("videos:process", args=[berttas.pk]), follow=True),
    ):
        assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    # Scripts asking the same are told plainly: 403.
    ajax = client.get(edit_url, headers={"x-requested-with": "XMLHttpRequest"})
    assert ajax.status_code == 403
    berttas.refresh_from_db()
    assert berttas.title == "Bertan pannukakku"
    assert berttas.status == VideoStatus.UPLOADED

    # Her own she may delete (Wagtail's ownership rule: adding lets one remove one's own).
    assert client.get(reverse("videos:delete", args=[annas.pk])).status_code == 200
    client.post(reverse("videos:delete", args=[annas.pk]))
    assert not Video.objects.filter(pk=annas.pk).exists()


def test_progress_polling_reveals_only_ones_own_videos(anna, annas, berttas):
    client = logged_in_in_english(anna)
    response = client.get(reverse("videos:status"), {"id": [annas.pk, berttas.pk]})
    assert [video["id"] for video in response.json()["videos"]] == [annas.pk]


def test_editors_see_and_edit_everyones_videos(editor, annas, berttas):
    client = logged_in_in_english(editor)
    html = listing(client)
    assert "Annan tuolijumppa" in html and "Bertan pannukakku" in html
    response = client.post(
        reverse("videos:edit", args=[berttas.pk]), edit_data(berttas, title="Pannukakku uunissa")
    )
    assert response.status_code == 302
    berttas.refresh_from_db()
    assert berttas.title == "Pannukakku uunissa"


@pytest.fixture
def collections(db):
    root = Collection.get_first_root_node()
    return {"jumppa": root.add_child(name="Jumppa"), "keittio": root.add_child(name="Keittiö")}


@pytest.fixture
def gym_instructor(collections):
    """May add videos only to the "Jumppa" collection (a group made in the Groups admin)."""
    group = Group.objects.create(name="Jumppaohjaajat")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupCollectionPermission.objects.create(
        group=group,
        collection=collections["jumppa"],
        permission=Permission.objects.get(codename="add_video"),
    )
    user = Group.objects.get(name="Jumppaohjaajat").user_set.create(username="ohjaaja")
    return user


def test_collection_choices_are_those_one_may_add_to(gym_instructor, collections):
    video = Video.objects.create(
        title="Venyttely", uploaded_by=gym_instructor, collection=collections["jumppa"]
    )
    client = logged_in_in_english(gym_instructor)
    form = client.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert "Jumppa" in form
    assert "Keittiö" not in form
    upload_page = client.get(reverse("videos:add")).content.decode()
    assert "Keittiö" not in upload_page

    # A hand-made request moving the video there is refused and changes nothing.
    response = client.post(
        reverse("videos:edit", args=[video.pk]),
        edit_data(video, collection=collections["keittio"].pk),
    )
    assert response.status_code == 200
    video.refresh_from_db()
    assert video.collection == collections["jumppa"]


def test_upload_into_a_forbidden_collection_is_refused_before_any_bytes(
    gym_instructor, collections, settings, tmp_path
):
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    client = logged_in_in_english(gym_instructor)

    def declare(collection):
        metadata = {"filename": "jumppa.mp4", "collection": str(collection.pk)}
        encoded = ",".join(
            f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
        )
        # Both the tus creation headers and the older JSON declaration: whichever the endpoint
        # speaks, the answer about the collection must be the same.
        return client.post(
            reverse("videos:upload_sessions"),
            json.dumps({**metadata, "size": 1000}),
            content_type="application/json",
            headers={"Tus-Resumable": "1.0.0", "Upload-Length": "1000", "Upload-Metadata": encoded},
        )

    refused = declare(collections["keittio"])
    assert refused.status_code == 403
    with translation.override("en"):
        expected = gettext("You may not add videos to the collection “%(collection)s”.") % {
            "collection": "Keittiö"
        }
    assert json.loads(refused.content)["error"] == expected
    assert declare(collections["jumppa"]).status_code == 201


def test_the_finnish_refusal_names_the_collection(gym_instructor, collections):
    from streaming.forms import UploadSessionForm

    with translation.override("fi"):
        form = UploadSessionForm(
            {"filename": "a.mp4", "size": 1, "collection": collections["keittio"].pk},
            user=gym_instructor,
        )
        assert not form.is_valid()
        message = form.errors["collection"][0]
        assert "Keittiö" in message
        assert message == gettext("You may not add videos to the collection “%(collection)s”.") % {
            "collection": "Keittiö"
        }


def test_chooser_offers_only_videos_one_may_choose(gym_instructor, anna, collections):
    in_gym = Video.objects.create(title="Venyttely", collection=collections["jumppa"])
    in_kitchen = Video.objects.create(title="Pannukakku", collection=collections["keittio"])
    GroupCollectionPermission.objects.create(
        group=Group.objects.get(name="Jumppaohjaajat"),
        collection=collections["jumppa"],
        permission=Permission.objects.get(codename="choose_video"),
    )
    html = logged_in_in_english(gym_instructor).get(reverse("video_chooser:choose")).json()["html"]
    assert "Venyttely" in html and "Pannukakku" not in html
    assert reverse("video_chooser:chosen", args=[in_gym.pk]) in html
    assert reverse("video_chooser:chosen", args=[in_kitchen.pk]) not in html

    # Staff may choose any video for their pages, not only their own.
    html = logged_in_in_english(anna).get(reverse("video_chooser:choose")).json()["html"]
    assert "Venyttely" in html and "Pannukakku" in html


def test_roles_have_their_collection_permissions_after_migrations():
    root = Collection.get_first_root_node()
    for group_name, expected in [
        (roles.STAFF_GROUP, roles.VIDEO_STAFF_COLLECTION_PERMISSIONS),
        (roles.EDITORS_GROUP, roles.VIDEO_EDITOR_COLLECTION_PERMISSIONS),
    ]:
        granted = GroupCollectionPermission.objects.filter(
            group__name=group_name, collection=root, permission__content_type__app_label="streaming"
        ).values_list("permission__codename", flat=True)
        assert sorted(f"streaming.{codename}" for codename in granted) == sorted(expected)


def test_groups_admin_shows_video_permissions_per_collection(django_user_model):
    admin = logged_in_in_english(django_user_model.objects.create_superuser("root", password="pw"))
    staff = Group.objects.get(name=roles.STAFF_GROUP)
    html = admin.get(reverse("wagtailusers_groups:edit", args=[staff.pk])).content.decode()
    with translation.override("en"):
        assert gettext("Video permissions") in html
        assert gettext("Select videos in choosers") in html
    add = Permission.objects.get(content_type__app_label="streaming", codename="add_video")
    change = Permission.objects.get(content_type__app_label="streaming", codename="change_video")
    # The root collection's row, ticked as the migration granted: add yes, edit any no.
    assert re.search(rf'name="video_permissions-0-permissions" value="{add.pk}"[^>]*checked', html)
    unticked = re.search(rf'name="video_permissions-0-permissions" value="{change.pk}"[^>]*>', html)
    assert unticked and "checked" not in unticked.group(0)
