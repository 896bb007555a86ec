"""Media follows the content: a video's files reach only those who may see a page showing it.

Local storage here; tests/streaming/test_media_access_s3.py covers the S3 path.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
)

from library.models import ExercisePage
from streaming.models import Video, VideoStatus
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.library.tree import exercise_showing, exercise_topic
from tests.users import member

FILES = ["master.m3u8", "v234/index.m3u8", "v234/seg_001.m4s", "poster.jpg", "download.mp4"]
CAPTION = "captions/fi.vtt"


def published_video(settings, title: str, uploaded_by=None) -> Video:
    """A video with a published version on local disk (fake bytes: only access is tested)."""
    video = Video.objects.create(title=title, status=VideoStatus.READY, uploaded_by=uploaded_by)
    prefix = f"videos/{video.pk}/1/"
    for name in [*FILES, CAPTION]:
        path = Path(settings.MEDIA_ROOT) / prefix / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"#EXTM3U\n" if name.endswith(".m3u8") else b"media")
    video.output_prefix = prefix
    video.output_manifest = {
        "media_prefix": prefix,
        "files": [prefix + name for name in FILES],
        "captions": [{"language": "fi", "label": "Suomi", "uri": CAPTION}],
    }
    video.save()
    return video


@pytest.fixture
def topic(db):
    return exercise_topic()


@pytest.fixture
def videos(settings, topic):
    public = published_video(settings, "Julkinen")
    draft = published_video(settings, "Luonnos")
    unattached = published_video(settings, "Irrallinen")
    exercise_showing(public, topic, "julkinen")
    exercise_showing(draft, topic, "luonnos", live=False)
    return {"public": public, "draft": draft, "unattached": unattached}


def status(client: Client, video: Video, name: str = "v234/seg_001.m4s") -> int:
    return client.get(f"/media/{video.output_prefix}{name}").status_code


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_public_pages_media_is_public_and_cacheable(client, videos):
    video = videos["public"]
    for name in [*FILES, CAPTION]:
        response = client.get(f"/media/{video.output_prefix}{name}")
        assert response.status_code == 200, name
        assert response["Cache-Control"].startswith("public"), name
    assert client.get(video.master_url)["Content-Type"] == "application/vnd.apple.mpegurl"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["draft", "unattached"])
def test_draft_and_unattached_videos_are_404_for_clients(client, videos, kind):
    video = videos[kind]
    uploader = member("ohjaaja", STAFF_GROUP)
    Video.objects.filter(pk=video.pk).update(uploaded_by=uploader)
    other_staff = logged_in(member("ohjaaja2", STAFF_GROUP))
    plain = logged_in(Group.objects.create(name="Asiakkaat").user_set.create(username="a"))
    for name in [*FILES, CAPTION]:
        assert status(client, video, name) == 404, name
        assert status(plain, video, name) == 404, name
    # The uploader and the editors see it, to check their work; other staff do not.
    assert status(logged_in(uploader), video) == 200
    assert status(logged_in(member("toimittaja", EDITORS_GROUP)), video) == 200
    assert status(other_staff, video) == 404


@pytest.mark.django_db
def test_private_page_media_plays_only_for_allowed_people(client, videos, topic):
    video = videos["public"]
    group = Group.objects.create(name="Päivätoiminta")
    page = ExercisePage.objects.get(video=video)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)

    member_of_group = logged_in(group.user_set.create(username="jasen"))
    outsider = logged_in(Group.objects.create(name="Muut").user_set.create(username="ulko"))
    assert status(client, video) == 404
    assert status(outsider, video) == 404
    response = member_of_group.get(f"/media/{video.output_prefix}v234/seg_001.m4s")
    assert response.status_code == 200
    # Only the viewer's own browser may keep private media.
    assert response["Cache-Control"].startswith("private")


@pytest.mark.django_db
def test_switching_a_page_private_makes_its_media_private_at_once(client, videos):
    video = videos["public"]
    assert status(client, video) == 200
    page = ExercisePage.objects.get(video=video)
    PageViewRestriction.objects.create(page=page.get_parent(), restriction_type="login")
    assert status(client, video) == 404
    signed_in = logged_in(Group.objects.create(name="X").user_set.create(username="x"))
    assert status(signed_in, video) == 200


@pytest.mark.django_db
def test_password_protected_page_media_after_the_password(client, videos):
    video = videos["public"]
    page = ExercisePage.objects.get(video=video)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="kahvila"
    )
    assert status(client, video) == 404
    response = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]),
        {"password": "kahvila", "return_url": page.url},
    )
    assert response.status_code == 302
    assert response.url == page.url
    assert status(client, video) == 200


@pytest.mark.django_db
def test_unpublishing_the_page_takes_the_media_down(client, videos):
    video = videos["public"]
    ExercisePage.objects.get(video=video).unpublish()
    assert status(client, video, "master.m3u8") == 404


@pytest.mark.django_db
def test_only_the_published_version_is_served_to_clients(client, settings, videos):
    video = videos["public"]
    old = Path(settings.MEDIA_ROOT) / f"videos/{video.pk}/0/v234/seg_001.m4s"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old")
    assert client.get(f"/media/videos/{video.pk}/0/v234/seg_001.m4s").status_code == 404
    editor = logged_in(member("toimittaja", EDITORS_GROUP))
    assert editor.get(f"/media/videos/{video.pk}/0/v234/seg_001.m4s").status_code == 200
    uploader = member("ohjaaja", STAFF_GROUP)
    staff = logged_in(uploader)
    assert staff.get(f"/media/videos/{video.pk}/0/v234/seg_001.m4s").status_code == 404
    Video.objects.filter(pk=video.pk).update(uploaded_by=uploader)
    assert staff.get(f"/media/videos/{video.pk}/0/v234/seg_001.m4s").status_code == 200


@pytest.mark.django_db
def test_originals_caption_working_copies_and_odd_paths_are_never_served(client, settings, videos):
    staff = logged_in(member("ohjaaja", STAFF_GROUP))
    video = videos["public"]
    video.original.save("jumppa.mp4", ContentFile(b"original"))
    caption = Path(settings.MEDIA_ROOT) / "captions/1-fi-abc.vtt"
    caption.parent.mkdir(parents=True)
    caption.write_bytes(b"WEBVTT\n")
    for who in (client, staff):
        assert who.get(f"/media/{video.original.name}").status_code == 404
        assert who.get("/media/captions/1-fi-abc.vtt").status_code == 404
        traversal = f"/media/{video.output_prefix}../../../captions/1-fi-abc.vtt"
        assert who.get(traversal).status_code == 404
    assert client.get(f"/media/videos/{video.pk}/1/../1/master.m3u8").status_code == 404


@pytest.mark.django_db
def test_documents_in_a_restricted_collection_are_not_under_media(client, topic):
    collection = Collection.get_first_root_node().add_child(name="Asiakastiedot")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    document = get_document_model().objects.create(
        title="Ryhmän osallistujat", collection=collection, file=ContentFile(b"%PDF", "lista.pdf")
    )
    assert client.get(f"/media/{document.file.name}").status_code == 404
    # Wagtail's own view applies the collection's rule: log in first.
    assert client.get(document.url).status_code == 302
    reader = logged_in(Group.objects.create(name="Y").user_set.create(username="y"))
    assert reader.get(document.url).status_code == 200


@pytest.mark.django_db
def test_images_follow_their_collections_privacy(client, topic):
    from PIL import Image as PILImage

    def image(collection):
        buffer = ContentFile(b"", "kuva.png")
        PILImage.new("RGB", (8, 8), "red").save(buffer.file, "PNG")
        return get_image_model().objects.create(title="Kuva", collection=collection, file=buffer)

    private = Collection.get_first_root_node().add_child(name="Ryhmäkuvat")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    public_image = image(Collection.get_first_root_node())
    private_image = image(private)
    assert client.get(f"/media/{public_image.file.name}").status_code == 200
    assert client.get(public_image.get_rendition("fill-4x4").url).status_code == 200
    assert client.get(f"/media/{private_image.file.name}").status_code == 404
    assert client.get(private_image.get_rendition("fill-4x4").url).status_code == 404
    reader = logged_in(Group.objects.create(name="Z").user_set.create(username="z"))
    assert reader.get(f"/media/{private_image.file.name}").status_code == 200


@pytest.mark.django_db
def test_behind_nginx_the_app_only_checks_and_redirects_internally(client, settings, videos):
    settings.KOTIKANAVA_MEDIA_ACCEL_PREFIX = "/protected-media/"
    video = videos["public"]
    response = client.get(f"/media/{video.output_prefix}v234/seg_001.m4s")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{video.output_prefix}v234/seg_001.m4s"
    assert response.content == b""
    assert client.get(f"/media/{videos['draft'].output_prefix}master.m3u8").status_code == 404


@pytest.mark.django_db
def test_a_missing_file_of_a_watchable_video_is_a_bare_404(client, videos):
    response = client.get(f"/media/{videos['public'].output_prefix}v234/seg_999.m4s")
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"
