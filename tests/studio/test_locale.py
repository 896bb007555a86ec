"""The library is language-prefixed; the admin and files are not, and their 404s stay 404s."""

import pytest


@pytest.mark.django_db
def test_admin_404_is_not_redirected_to_a_language_prefix(admin_client):
    response = admin_client.get("/admin/videos/edit/999999/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_library_root_redirects_to_finnish(client):
    from tests.library.tree import build_tree

    build_tree()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"
