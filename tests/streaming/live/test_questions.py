"""Clients ask the host questions from a live session's page; the host and editors decide on them.

Nothing a client typed reaches other viewers before a person approves it; flooding is throttled;
questions go away after the retention period.
"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from streaming.live.questions import delete_old_questions
from streaming.models import LiveQuestion, LiveSession, LiveState, LiveVisibility, QuestionState
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.users import logged_in_in_english, member

pytestmark = pytest.mark.django_db

MARKUP = '<a href="https://example.com">Voiko <b>tuolilla</b> jumpata?</a>'


def make_session(**fields) -> LiveSession:
    values = {
        "title": "Tuolijumppa livenä",
        "starts_at": timezone.now() - timedelta(minutes=5),
        "state": LiveState.LIVE,
        "key_hash": "0" * 64,
    }
    values.update(fields)
    return LiveSession.objects.create(**values)


def page_url(session) -> str:
    with translation.override("en"):
        return reverse("live_session_page", kwargs={"public_id": session.public_id})


def ask_url(session) -> str:
    with translation.override("en"):
        return reverse("live_question_ask", kwargs={"public_id": session.public_id})


def approved_url(session) -> str:
    with translation.override("en"):
        return reverse("live_questions", kwargs={"public_id": session.public_id})


def en(message: str) -> str:
    with translation.override("en"):
        return gettext(message)


class Viewer:
    """A client without an account, with real CSRF checks: it posts the token its page gave it."""

    def __init__(self, session, address="203.0.113.7"):
        self.session = session
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)

    def page(self) -> str:
        response = self.client.get(page_url(self.session))
        assert response.status_code == 200
        return response.content.decode()

    def token(self) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page()).group(1)

    def ask(self, text: str, json: bool = False):
        headers = {"Accept": "application/json"} if json else {}
        return self.client.post(
            ask_url(self.session),
            {"text": text, "csrfmiddlewaretoken": self.token()},
            headers=headers,
        )


def host_and_client(session=None):
    host = member("ohjaaja", STAFF_GROUP)
    if session is not None:
        session.host = host
        session.save(update_fields=["host"])
    return host, logged_in_in_english(host)


def test_a_question_reaches_the_host_but_viewers_only_after_approval():
    session = make_session()
    host, host_client = host_and_client(session)
    viewer = Viewer(session)
    assert en("Ask the host") in viewer.page()

    response = viewer.ask(MARKUP)
    assert response.status_code == 302
    assert response["Location"] == page_url(session) + "?question=sent#questions"
    sent_page = viewer.client.get(response["Location"]).content.decode()
    assert en("Thank you. Your question was sent to the host.") in sent_page

    # Another viewer sees nothing of it yet: neither on the page nor in the JSON.
    other = Viewer(session, address="198.51.100.9")
    assert "tuolilla" not in other.page()
    assert other.client.get(approved_url(session)).json()["questions"] == []

    # The host sees it at once.
    data_url = reverse("live_sessions:questions_data", args=[session.pk])
    listed = host_client.get(data_url).json()["questions"]
    assert [item["text"] for item in listed] == [MARKUP]
    assert listed[0]["state"] == "waiting"
    admin_page = host_client.get(reverse("live_sessions:questions", args=[session.pk]))
    assert admin_page.status_code == 200
    assert "&lt;b&gt;tuolilla&lt;/b&gt;" in admin_page.content.decode()

    approve = host_client.post(listed[0]["actions"]["approve"])
    assert approve.status_code == 302
    question = LiveQuestion.objects.get()
    assert question.approved_for_viewers and question.handled_by == host

    # Now viewers see it, as plain text: escaped, no link made of it.
    page = other.page()
    assert "&lt;a href=&quot;https://example.com&quot;&gt;Voiko &lt;b&gt;tuolilla" in page
    assert '<a href="https://example.com">' not in page
    assert other.client.get(approved_url(session)).json()["questions"] == [
        {"id": question.pk, "text": MARKUP}
    ]

    # Hidden again: gone for viewers; answered: stays for the host, marked.
    host_client.post(listed[0]["actions"]["hide"])
    assert other.client.get(approved_url(session)).json()["questions"] == []
    host_client.post(listed[0]["actions"]["answer"])
    assert host_client.get(data_url).json()["questions"][0]["state"] == QuestionState.ANSWERED


def test_a_question_is_sent_with_fetch_and_answered_in_json():
    session = make_session()
    response = Viewer(session).ask("Montako toistoa?", json=True)
    assert response.status_code == 201
    assert response.json() == {
        "ok": True,
        "message": en("Thank you. Your question was sent to the host."),
    }
    assert LiveQuestion.objects.get().text == "Montako toistoa?"


def test_without_the_csrf_token_nothing_is_stored():
    session = make_session()
    client = Client(enforce_csrf_checks=True)
    response = client.post(ask_url(session), {"text": "Kuuluuko ääni?"})
    assert response.status_code == 403
    assert not LiveQuestion.objects.exists()


def test_flooding_is_throttled_with_a_translated_message(settings):
    settings.KOTIKANAVA_QUESTION_RATE_LIMIT = 3
    session = make_session()
    viewer = Viewer(session)
    for number in range(3):
        assert viewer.ask(f"Kysymys {number}", json=True).status_code == 201
    refused = viewer.ask("Vielä yksi", json=True)
    assert refused.status_code == 429
    assert refused.json()["message"] == en(
        "You have sent several questions in a short time. Please wait a few minutes "
        "before sending another."
    )
    assert int(refused["Retry-After"]) == 300
    # Without script the page says the same, and keeps what was typed.
    plain = viewer.ask("Vielä yksi")
    assert plain.status_code == 429
    assert "several questions in a short time" in plain.content.decode()
    assert LiveQuestion.objects.count() == 3
    # Another viewer (another address) is not held back by the first one's questions.
    assert Viewer(session, address="198.51.100.9").ask("Oma", json=True).status_code == 201


def test_a_too_long_or_empty_question_is_refused_and_kept_for_correcting():
    session = make_session()
    viewer = Viewer(session)
    too_long = "a" * 281
    response = viewer.ask(too_long)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        en("The question is too long. Shorten it to %(limit_value)d characters.")
        % {"limit_value": 280}
        in html
    )
    assert 'aria-invalid="true"' in html
    assert too_long in html  # nothing typed is lost
    assert viewer.ask("   ", json=True).json()["message"] == en("Please write your question.")
    assert viewer.ask("a" * 280, json=True).status_code == 201
    assert LiveQuestion.objects.count() == 1


def test_a_session_not_live_takes_no_questions_and_shows_no_form():
    for state in (LiveState.SCHEDULED, LiveState.ENDED):
        session = make_session(state=state)
        response = Client().post(
            ask_url(session), {"text": "Alkaako pian?"}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 409
        assert response.json()["message"] == en(
            "Questions can be sent only while the session is live."
        )
    assert "data-question-form" not in Viewer(make_session(state=LiveState.ENDED)).page()
    assert not LiveQuestion.objects.exists()


def test_a_signed_in_only_session_takes_no_questions_from_outsiders():
    session = make_session(visibility=LiveVisibility.SIGNED_IN)
    response = Client().post(ask_url(session), {"text": "Hei"})
    assert response.status_code == 404
    assert Client().get(approved_url(session)).status_code == 404
    assert not LiveQuestion.objects.exists()


def test_only_the_host_and_who_may_change_sessions_handle_questions():
    session = make_session()
    host, host_client = host_and_client(session)
    question = LiveQuestion.objects.create(session=session, text="Hei")
    pages = [
        ("get", reverse("live_sessions:questions", args=[session.pk])),
        ("get", reverse("live_sessions:questions_data", args=[session.pk])),
        ("post", reverse("live_sessions:question_action", args=[session.pk, question.pk, "hide"])),
    ]
    other_staff = logged_in_in_english(member("toinen", STAFF_GROUP))
    for method, url in pages:
        assert getattr(other_staff, method)(url).status_code == 403
    assert LiveQuestion.objects.get().state == QuestionState.WAITING

    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))
    for client in (host_client, editor):
        for method, url in pages[:2]:
            assert getattr(client, method)(url).status_code == 200
    # The host's buttons need the CSRF token like any admin form.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(host)
    assert strict.post(pages[2][1]).status_code == 403
    assert LiveQuestion.objects.get().state == QuestionState.WAITING


def test_the_listing_and_the_edit_page_link_to_the_questions():
    session = make_session()
    LiveQuestion.objects.create(session=session, text="Hei")
    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))
    questions_url = reverse("live_sessions:questions", args=[session.pk])
    listing = editor.get(reverse("live_sessions:index")).content.decode()
    assert f'href="{questions_url}"' in listing
    assert "1 waiting" in listing
    edit = editor.get(reverse("live_sessions:edit", args=[session.pk])).content.decode()
    assert f'href="{questions_url}"' in edit


def test_questions_are_deleted_after_the_retention_period(settings):
    settings.KOTIKANAVA_QUESTION_RETENTION_DAYS = 30
    session = make_session()
    old = LiveQuestion.objects.create(session=session, text="Vanha")
    LiveQuestion.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    LiveQuestion.objects.create(session=session, text="Tuore")
    assert delete_old_questions() == 1
    assert list(LiveQuestion.objects.values_list("text", flat=True)) == ["Tuore"]

    # The scheduler does it on its rounds.
    LiveQuestion.objects.update(created_at=timezone.now() - timedelta(days=40))
    call_command("run_scheduler", "--once")
    assert not LiveQuestion.objects.exists()


def test_the_host_sees_the_questions_on_the_studio_page_beside_the_camera():
    session = make_session()
    _host, host_client = host_and_client(session)
    Viewer(session).ask("Kuuluuko ääni hyvin?")

    studio = host_client.get(reverse("live_sessions:studio", args=[session.pk]))

    assert studio.status_code == 200
    page = studio.content.decode()
    assert "data-live-studio" in page and "Kuuluuko ääni hyvin?" in page
    assert reverse("live_sessions:questions_data", args=[session.pk]) in page
