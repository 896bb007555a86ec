"""The accessibility statement (digipalvelulaki 306/2019): its parts, the footer link on every
page, and the feedback form that reaches the editors and is deleted after the retention time."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from library.models import AccessibilityFeedback, AccessibilityStatementPage
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.library.tree import publish
from tests.users import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(tree):
    return publish(
        tree["home"],
        AccessibilityStatementPage(
            title="Saavutettavuusseloste",
            slug="seloste",
            body="<p>Seloste koskee Kotikanavaa.</p>",
            compliance="partial",
            non_accessible_content="<p>Vanhoista videoista puuttuu tekstitys.</p>",
            assessment="Itsearviointi.",
            prepared_on=date(2026, 3, 2),
            updated_on=date(2026, 11, 2),
            feedback_contact="<p>saavutettavuus@example.fi</p>",
            supervisory_authority="<p>Traficom, saavutettavuuden valvonta</p>",
        ),
    )


@pytest.fixture
def editor():
    user = member("toimittaja", EDITORS_GROUP)
    user.email = "toimittaja@example.fi"
    user.save()
    return user


@pytest.fixture
def staff():
    user = member("tuottaja", STAFF_GROUP)
    user.email = "tuottaja@example.fi"
    user.save()
    return user


def send(client, statement, **data):
    return client.post(statement.url, {"name": "", "contact": "", "message": "Hei", **data})


def test_page_shows_what_the_law_asks(client, statement):
    html = client.get(statement.url).content.decode()
    for part in [
        "Täyttää saavutettavuusvaatimukset osittain",  # the Finnish page, in Finnish
        "Vanhoista videoista puuttuu tekstitys.",
        "Itsearviointi.",
        'datetime="2026-03-02"',
        'datetime="2026-11-02"',
        "saavutettavuus@example.fi",
        "Traficom, saavutettavuuden valvonta",
        'name="csrfmiddlewaretoken"',
        'name="message"',
        'maxlength="2000"',
    ]:
        assert part in html, part


def test_one_statement_per_home(statement):
    assert not AccessibilityStatementPage.can_create_at(statement.get_parent())


def test_editors_can_create_the_statement_under_a_home(tree):
    assert AccessibilityStatementPage.can_create_at(tree["home"])


@pytest.mark.parametrize("name", ["home", "topic", "chair"])
def test_footer_links_to_the_statement(client, tree, statement, name):
    page = tree["topics"][0] if name == "topic" else tree[name]
    html = client.get(page.url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a class="footer-links__statement" href="{statement.url}">' in footer
    assert footer.count(statement.url) == 1


def test_a_language_without_its_statement_links_to_the_finnish_one(client, tree, statement):
    swedish_home = tree["home"].get_translation(Locale.objects.get(language_code="sv"))
    html = client.get(swedish_home.url).content.decode()
    assert f'href="{statement.url}" lang="fi" hreflang="fi"' in html


def test_feedback_is_stored_and_editors_are_told(
    client, statement, editor, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, statement, name="Maija", contact="040 123", message="Liian pieni")
    assert response.status_code == 302
    assert response["Location"] == statement.url + "?sent=1#feedback"
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.name, feedback.contact, feedback.message) == (
        "Maija",
        "040 123",
        "Liian pieni",
    )
    assert (feedback.statement_id, feedback.language) == (statement.pk, "fi")
    assert [mail.to for mail in mailoutbox] == [[editor.email]]
    assert "Liian pieni" in mailoutbox[0].body
    assert "/admin/accessibility_feedback/inspect/" in mailoutbox[0].body

    thanks = client.get(response["Location"]).content.decode()
    assert 'role="status"' in thanks and 'name="message"' not in thanks


def test_name_and_contact_are_optional_message_is_required(client, statement):
    assert send(client, statement).status_code == 302
    response = send(client, statement, message="  ")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 1


def test_message_length_is_limited(client, statement):
    response = send(client, statement, message="a" * 2001)
    assert response.status_code == 200
    assert 'id="id_message_error"' in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()
    assert send(client, statement, message="a" * 2000).status_code == 302


def test_feedback_needs_the_csrf_token(statement):
    client = Client(enforce_csrf_checks=True)
    assert send(client, statement).status_code == 403
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, statement, settings):
    settings.KOTIKANAVA_FEEDBACK_RATE_LIMIT = 2
    assert send(client, statement).status_code == 302
    assert send(client, statement).status_code == 302
    limited = send(client, statement)
    assert limited.status_code == 429
    assert limited["Retry-After"] == str(settings.KOTIKANAVA_FEEDBACK_RATE_WINDOW_MINUTES * 60)
    assert 'role="alert"' in limited.content.decode()
    assert AccessibilityFeedback.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert send(other, statement).status_code == 302


def test_feedback_shows_no_links_back_to_the_client(client, statement):
    response = send(client, statement, message="<a href='https://evil.example'>x</a>" + "a" * 2000)
    html = response.content.decode()
    assert "<a href='https://evil.example'>" not in html
    assert 'href="https://evil.example"' not in html


def test_editors_see_feedback_in_the_admin_and_staff_do_not(client, statement, editor, staff):
    feedback = AccessibilityFeedback.objects.create(
        statement=statement, language="fi", message="Fonttia isommaksi"
    )
    client.force_login(editor)
    assert "Fonttia isommaksi" in client.get("/admin/accessibility_feedback/").content.decode()
    inspect = client.get(f"/admin/accessibility_feedback/inspect/{feedback.pk}/")
    assert "Fonttia isommaksi" in inspect.content.decode()
    assert "/admin/accessibility_feedback/" in client.get("/admin/").content.decode()
    assert client.get("/admin/accessibility_feedback/new/").status_code in (302, 403, 404)

    client.force_login(staff)
    assert "/admin/accessibility_feedback/" not in client.get("/admin/").content.decode()
    for url in [
        "/admin/accessibility_feedback/",
        f"/admin/accessibility_feedback/inspect/{feedback.pk}/",
        f"/admin/accessibility_feedback/edit/{feedback.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Fonttia isommaksi" not in response.content.decode()


def test_old_feedback_is_deleted_after_the_retention_time(statement, settings):
    settings.KOTIKANAVA_FEEDBACK_RETENTION_DAYS = 30
    old = AccessibilityFeedback.objects.create(language="fi", message="vanha")
    recent = AccessibilityFeedback.objects.create(language="fi", message="uusi")
    AccessibilityFeedback.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - timedelta(days=31)
    )
    AccessibilityFeedback.objects.filter(pk=recent.pk).update(
        received_at=timezone.now() - timedelta(days=29)
    )
    call_command("delete_old_feedback", verbosity=0)
    assert list(AccessibilityFeedback.objects.values_list("message", flat=True)) == ["uusi"]
