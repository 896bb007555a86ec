"""Wrong passwords in a row are throttled on every login form: 10 are checked, the 11th is not.

Everything goes through the real views (Wagtail's admin login, Django's admin login, Wagtail's
page and document password forms) with the real axes middleware, backend and database records.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.library.tree import build_tree
from tests.users import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 10
ADMIN_LOGIN = "/admin/login/"
DJANGO_ADMIN_LOGIN = "/django-admin/login/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("toimittaja", password=PASSWORD)


def _log_in(client, username, password, url=ADMIN_LOGIN):
    return client.post(url, {"username": username, "password": password})


def _fail(client, username, times, url=ADMIN_LOGIN):
    for _ in range(times):
        response = _log_in(client, username, "väärä", url)
    return response


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _lockout_heading() -> str:
    with translation.override("fi"):
        return gettext("Too many attempts")


def test_eleventh_attempt_is_refused_even_with_the_right_password(editor):
    client = Client()
    response = _fail(client, "toimittaja", LIMIT - 1)
    assert response.status_code == 200 and not _logged_in(client)  # the form again

    response = _fail(client, "toimittaja", 1)  # the 10th wrong one locks
    assert response.status_code == 429

    response = _log_in(client, "toimittaja", PASSWORD)  # the 11th
    assert response.status_code == 429
    assert not _logged_in(client)
    html = response.content.decode()
    assert _lockout_heading() in html and '<html lang="fi">' in html
    assert response["Retry-After"] == str(15 * 60)


def test_the_right_password_within_the_limit_works_and_starts_the_count_again(editor):
    client = Client()
    _fail(client, "toimittaja", LIMIT - 1)
    assert _log_in(client, "toimittaja", PASSWORD).status_code == 302
    assert _logged_in(client)
    assert not AccessAttempt.objects.exists()

    client.logout()
    _fail(client, "toimittaja", LIMIT - 1)
    assert _log_in(client, "toimittaja", PASSWORD).status_code == 302


def test_lockout_is_by_username_and_address_together(editor, django_user_model):
    django_user_model.objects.create_superuser("ohjaaja", password=PASSWORD)
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    _fail(attacker, "toimittaja", LIMIT)
    assert _log_in(attacker, "toimittaja", PASSWORD).status_code == 429

    # The same person from another address, and a colleague from the same address, still get in.
    assert _log_in(Client(REMOTE_ADDR="203.0.113.5"), "toimittaja", PASSWORD).status_code == 302
    assert _log_in(Client(REMOTE_ADDR="198.51.100.7"), "ohjaaja", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(editor):
    client = Client()
    _fail(client, "toimittaja", LIMIT)
    assert _log_in(client, "toimittaja", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _log_in(client, "toimittaja", PASSWORD).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_locked(editor, settings):
    settings.KOTIKANAVA_TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    _fail(attacker, "toimittaja", LIMIT)
    assert _log_in(attacker, "toimittaja", PASSWORD).status_code == 429

    # A forged X-Forwarded-For entry is ignored: the proxy's own entry (the last) counts.
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert _log_in(forged, "toimittaja", PASSWORD).status_code == 429
    staff = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _log_in(staff, "toimittaja", PASSWORD).status_code == 302


def test_django_admin_login_is_throttled_too(editor):
    client = Client()
    _fail(client, "toimittaja", LIMIT, DJANGO_ADMIN_LOGIN)
    response = _log_in(client, "toimittaja", PASSWORD, DJANGO_ADMIN_LOGIN)
    assert response.status_code == 429
    assert not _logged_in(client)


@pytest.fixture
def private_pages():
    """Two pages behind the same shared password, each with its own restriction."""
    tree = build_tree()
    return [
        (
            tree[name],
            PageViewRestriction.objects.create(
                page=tree[name], restriction_type=PageViewRestriction.PASSWORD, password="salasana"
            ),
        )
        for name in ("soup", "porridge")
    ]


def _page_password(client, page, restriction, password):
    with translation.override("fi"):
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return client.post(url, {"password": password, "return_url": page.url})


def test_page_password_form_is_throttled(private_pages):
    (soup, soup_lock), (porridge, porridge_lock) = private_pages
    client = Client()
    for _ in range(LIMIT - 1):
        response = _page_password(client, soup, soup_lock, "väärä")
        assert response.status_code == 200  # the password form again
    assert _page_password(client, soup, soup_lock, "väärä").status_code == 429

    response = _page_password(client, soup, soup_lock, "salasana")  # the 11th
    assert response.status_code == 429
    assert _lockout_heading() in response.content.decode()
    assert soup.summary not in client.get(soup.url).content.decode()

    # Only that page is locked: the right password still opens another one.
    assert _page_password(client, porridge, porridge_lock, "salasana").status_code == 302
    assert porridge.summary in client.get(porridge.url).content.decode()


def test_page_password_success_starts_the_count_again(private_pages):
    (soup, soup_lock), _ = private_pages
    client = Client()
    for _ in range(LIMIT - 1):
        _page_password(client, soup, soup_lock, "väärä")
    assert _page_password(client, soup, soup_lock, "salasana").status_code == 302
    assert soup.summary in client.get(soup.url).content.decode()
    assert not AccessAttempt.objects.exists()


def test_document_password_form_is_throttled():
    collection = Collection.get_first_root_node().add_child(name="Yksityiset")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="salasana",
    )
    Document.objects.create(title="Ohje", collection=collection)
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    client = Client()
    for _ in range(LIMIT):
        client.post(url, {"password": "väärä", "return_url": "/"})
    response = client.post(url, {"password": "salasana", "return_url": "/"})
    assert response.status_code == 429
