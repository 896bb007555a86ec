"""Upload tokens: a script or phone app uploads over tus with a staff member's rights."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from streaming.models import UploadSession, Video
from studio.roles import STAFF_GROUP
from studio.tokens import UploadToken
from tests.streaming.upload_client import TUS, VIDEO_EDIT_URL_HEADER, create, offset_of, patch
from tests.users import logged_in_in_english, member

pytestmark = pytest.mark.usefixtures("upload_settings")


def bearer(token: str) -> Client:
    """A client with no cookies at all that enforces CSRF, as a script is."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_token_uploads_without_csrf_and_makes_the_video(staff, django_capture_on_commit_callbacks):
    _row, token = UploadToken.issue(staff, "puhelin")
    client = bearer(token)
    created = create(client, name="aamu.mp4", size=10)
    assert created.status_code == 201, created.content
    url = created["Location"]
    assert patch(client, url, b"01234", 0).status_code == 204
    assert offset_of(client, url) == 5
    with django_capture_on_commit_callbacks(execute=True):
        last = patch(client, url, b"56789", 5)
    assert last.status_code == 204
    video = Video.objects.get()
    assert video.uploaded_by == staff
    assert last[VIDEO_EDIT_URL_HEADER] == reverse("videos:edit", args=[video.pk])
    assert UploadToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_wrong_or_unknown_tokens_are_refused(staff):
    row, token = UploadToken.issue(staff)
    key, secret = token.split(".")
    for wrong in (f"{key}.{secret[:-1]}x", f"0000000000000000.{secret}", "", key, "a.b.c"):
        response = create(bearer(wrong), size=10)
        assert response.status_code == 401, wrong
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not UploadSession.objects.exists()
    # Someone else's upload stays theirs, even with a valid token of another person.
    url = create(bearer(token), size=10)["Location"]
    _other_row, other_token = UploadToken.issue(member("other", STAFF_GROUP))
    assert patch(bearer(other_token), url, b"0123456789", 0).status_code == 403
    # A deactivated person's token stops working.
    staff.is_active = False
    staff.save()
    assert create(bearer(token), size=10).status_code == 401


@pytest.mark.django_db
def test_token_of_someone_who_may_not_upload_is_refused(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    _row, token = UploadToken.issue(user)
    assert create(bearer(token), size=10).status_code == 403
    assert not UploadSession.objects.exists()


@pytest.mark.django_db
def test_token_opens_only_the_upload_endpoint(staff):
    _row, token = UploadToken.issue(staff)
    client = bearer(token)
    assert client.options(reverse("videos:upload_sessions")).status_code == 204
    # The rest of the admin does not know tokens: it asks the person to log in.
    assert client.get(reverse("videos:index")).status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


@pytest.mark.django_db
def test_session_without_csrf_is_refused_even_beside_a_token_endpoint(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert create(client, size=10).status_code == 403
    assert create(client, size=10, Authorization="Basic c3RhZmY6cHc=").status_code == 403
    assert not UploadSession.objects.exists()


@pytest.mark.django_db
def test_command_prints_the_token_once_and_keeps_only_its_hash(staff):
    out = io.StringIO()
    call_command("create_upload_token", staff.username, "--name", "puhelin", stdout=out)
    token = out.getvalue().strip()
    row = UploadToken.objects.get()
    key, secret = token.split(".")
    assert row.key == key and row.name == "puhelin"
    assert secret not in row.secret_hash
    assert UploadToken.authenticate(token).user == staff
    assert create(bearer(token), size=10, **TUS).status_code == 201


@pytest.mark.django_db
def test_staff_make_and_remove_their_own_tokens_on_the_admin_page(staff, other_staff_token):
    client = logged_in_in_english(staff)
    page = client.get(reverse("upload_tokens"))
    assert page.status_code == 200
    assert "You have no tokens." in page.content.decode()
    made = client.post(reverse("upload_tokens"), {"name": "puhelin"})
    token = re.search(r"data-new-token>([^<]+)<", made.content.decode()).group(1)
    row = UploadToken.objects.get(user=staff)
    assert row.name == "puhelin" and token.startswith(row.key + ".")
    assert create(bearer(token), size=10).status_code == 201
    # The token is not shown again, and someone else's token cannot be removed from here.
    listing = client.get(reverse("upload_tokens")).content.decode()
    assert token not in listing and "puhelin" in listing
    client.post(reverse("upload_tokens"), {"delete": other_staff_token.pk})
    assert UploadToken.objects.filter(pk=other_staff_token.pk).exists()
    client.post(reverse("upload_tokens"), {"delete": row.pk})
    assert create(bearer(token), size=10).status_code == 401


@pytest.fixture
def other_staff_token(db):
    return UploadToken.issue(member("other2", STAFF_GROUP))[0]
