"""Names with invisible direction-changing characters are refused everywhere staff name things.

"harjoitus\u202efdp.txt" shows as "harjoitustxt.pdf": a name can claim to be something it is not.
Each case posts through the real admin view and checks both the message and that nothing was made.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection
from wagtail.test.utils.form_data import nested_form_data, rich_text

from library.models import InfoPage
from streaming.models import UploadSession, Video
from streaming.validators import (
    BIDI_CONTROLS,
    has_bidi_controls,
    validate_file_name,
    validate_no_bidi_controls,
)
from tests.library.tree import build_tree
from tests.streaming.upload_client import create
from tests.users import PASSWORD

pytestmark = pytest.mark.django_db

RLO = "\u202e"
SPOOFED_TITLE = f"Tuolijumppa {RLO}4pm.exe"
SPOOFED_FILE = f"harjoitus{RLO}fdp.txt"


def _message(validator, value) -> str:
    """The message a staff member sees (Finnish by default), as it appears in HTML."""
    with translation.override("fi"), pytest.raises(ValidationError) as error:
        validator(value)
    return escape(error.value.messages[0])


TITLE_ERROR = _message(validate_no_bidi_controls, RLO)
FILE_ERROR = _message(validate_file_name, RLO)


@pytest.fixture
def admin_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin", password=PASSWORD))
    return client


@pytest.mark.parametrize("character", sorted(BIDI_CONTROLS))
def test_every_direction_control_is_refused(character):
    with pytest.raises(ValidationError):
        validate_no_bidi_controls(f"Ruoka{character}ohje")
    with pytest.raises(ValidationError):
        validate_file_name(SimpleUploadedFile(f"ohje{character}.pdf", b"x"))


def test_ordinary_names_in_every_language_pass():
    for name in ["Äänitys: kevät–kesä 2025", "Övningar för äldre", "Chair yoga (part 2)"]:
        validate_no_bidi_controls(name)
        validate_file_name(f"{name}.mp4")


def test_video_title_is_refused_in_the_edit_form(admin_client):
    video = Video.objects.create(title="Hartiajumppa")
    response = admin_client.post(
        reverse("videos:edit", args=[video.pk]),
        {"title": SPOOFED_TITLE, "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 200
    assert TITLE_ERROR in response.content.decode()
    video.refresh_from_db()
    assert video.title == "Hartiajumppa"


def test_upload_with_such_a_file_name_is_refused_with_the_reason(admin_client, settings, tmp_path):
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    response = create(admin_client, name=f"tuolijumppa{RLO}4pm.exe", size=1000)
    assert response.status_code == 400
    assert escape(response.json()["error"]) == FILE_ERROR
    assert not UploadSession.objects.exists()
    assert not Video.objects.exists()


def test_page_title_is_refused_in_the_page_editor(admin_client):
    home = build_tree()["home"]
    response = admin_client.post(
        reverse("wagtailadmin_pages:add", args=["library", "infopage", home.pk]),
        nested_form_data(
            {"title": SPOOFED_TITLE, "slug": "yhteystiedot", "body": rich_text("<p>Soita</p>")}
        ),
    )
    assert response.status_code == 200
    assert TITLE_ERROR in response.content.decode()
    assert not InfoPage.objects.filter(slug="yhteystiedot").exists()


def _document(name="ohje.txt"):
    return SimpleUploadedFile(name, b"Ohjeen teksti.", content_type="text/plain")


def _image(name="kuva.png"):
    return SimpleUploadedFile(name, get_test_image_file().file.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("url_name", "model", "upload"),
    [("wagtaildocs:add", Document, _document), ("wagtailimages:add", Image, _image)],
    ids=["document", "image"],
)
def test_document_and_image_titles_are_refused(admin_client, url_name, model, upload):
    collection = Collection.get_first_root_node().pk
    response = admin_client.post(
        reverse(url_name), {"title": SPOOFED_TITLE, "file": upload(), "collection": collection}
    )
    assert response.status_code == 200
    assert TITLE_ERROR in response.content.decode()
    assert not model.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "model", "upload", "name"),
    [
        ("wagtaildocs:add_multiple", Document, _document, SPOOFED_FILE),
        ("wagtailimages:add_multiple", Image, _image, f"kuva{RLO}gnp.png"),
    ],
    ids=["document", "image"],
)
def test_multiple_upload_keeps_no_such_name(admin_client, url_name, model, upload, name):
    """Django's upload parser already drops the characters from the file name; the title the
    browser derives from the original name is refused, so the file waits for a clean title."""
    response = admin_client.post(
        reverse(url_name),
        {
            "files[]": upload(name),
            "title": name.rsplit(".", 1)[0],
            "collection": Collection.get_first_root_node().pk,
        },
    )
    data = response.json()
    assert data["success"] is True and "uploaded_file_id" in data  # waiting for its details
    assert not model.objects.exists()
    assert not has_bidi_controls(data["form"])


def test_document_form_refuses_a_file_named_by_code(django_user_model):
    """A file handed over by code (an import script) keeps its name: the form refuses it."""
    from wagtail.documents.forms import get_document_form

    form = get_document_form(Document)(
        {"title": "Ohje", "collection": Collection.get_first_root_node().pk},
        {"file": _document(SPOOFED_FILE)},
        user=django_user_model.objects.create_superuser("admin", password=PASSWORD),
    )
    assert not form.is_valid()
    assert escape(form.errors["file"][0]) == FILE_ERROR
