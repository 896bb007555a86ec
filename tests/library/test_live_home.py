"""The home page's "Live now" and "Next 7 days": what a client may join, live ones first."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from streaming.models import LiveSession, LiveState, LiveVisibility
from tests.users import member

pytestmark = pytest.mark.django_db


def make_session(title, starts_in, state=LiveState.SCHEDULED, **values) -> LiveSession:
    return LiveSession.objects.create(
        title=title, starts_at=timezone.now() + starts_in, state=state, **values
    )


def page_url(session) -> str:
    with translation.override("fi"):
        return reverse("live_session_page", kwargs={"public_id": session.public_id})


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id` (empty if there is none)."""
    start = html.find(f'aria-labelledby="{heading_id}"')
    return html[start : html.find("</section>", start)] if start != -1 else ""


@pytest.fixture
def sessions(db):
    return {
        "live": make_session("Kahvila nyt", -timedelta(minutes=10), LiveState.LIVE, topic="cafe"),
        "soon": make_session("Ruokalähetys", timedelta(hours=3), topic="cooking"),
        "late_host": make_session("Jumppa myöhässä", -timedelta(minutes=5)),
        "week": make_session("Digiopastus", timedelta(days=6), topic="digital"),
        "far": make_session("Ensi kuussa", timedelta(days=9)),
        "ended": make_session("Eilinen", -timedelta(hours=20), LiveState.ENDED),
        "failed": make_session("Epäonnistunut", -timedelta(minutes=1), LiveState.FAILED),
        "archived": make_session("Arkistoitu", -timedelta(hours=3), LiveState.ARCHIVED),
        "past_end": make_session("Ei koskaan alkanut", -timedelta(hours=2)),
        "members": make_session(
            "Vain kirjautuneille", timedelta(hours=1), visibility=LiveVisibility.SIGNED_IN
        ),
    }


def test_home_lists_live_now_first_then_the_next_seven_days(client, tree, sessions):
    html = client.get(tree["home"].url).content.decode()
    live_now = section(html, "live-now-heading")
    upcoming = section(html, "live-upcoming-heading")
    assert page_url(sessions["live"]) in live_now
    assert page_url(sessions["live"]) not in upcoming
    # Live now comes before the topics; the week after them.
    assert (
        html.index("live-now-heading")
        < html.index("topics-heading")
        < html.index("live-upcoming-heading")
    )
    listed = sorted(
        (s for s in sessions.values() if page_url(s) in upcoming),
        key=lambda s: upcoming.index(page_url(s)),
    )
    assert listed == [sessions["late_host"], sessions["soon"], sessions["week"]]
    for name in ["far", "ended", "failed", "archived", "past_end", "members"]:
        assert page_url(sessions[name]) not in html, name


def test_signed_in_clients_also_see_sessions_for_signed_in_users(tree, sessions):
    client = Client()
    client.force_login(member("asiakas", "Sisällöntuottajat"))
    html = client.get(tree["home"].url).content.decode()
    assert page_url(sessions["members"]) in section(html, "live-upcoming-heading")


def test_home_without_sessions_says_so_and_offers_the_calendar(client, tree):
    html = client.get(tree["home"].url).content.decode()
    assert "live-now-heading" not in html
    with translation.override("fi"):
        assert gettext("No live sessions in the next 7 days.") in html
    assert 'href="/fi/live/calendar.ics"' in html


def test_swedish_home_links_swedish_session_pages(client, tree, sessions):
    swedish_home = tree["home"].get_translations().get(locale__language_code="sv")
    html = client.get(swedish_home.url).content.decode()
    assert f'href="/sv/live/{sessions["soon"].public_id}/"' in html
    assert 'href="/sv/live/calendar.ics"' in html
