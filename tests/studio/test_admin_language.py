"""The admin in Finnish and Swedish: strings Wagtail leaves in English, counts, the next step."""

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from wagtail.users.models import UserProfile

from studio.admin_counts import count_label
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.users import member

LANGUAGES = ["fi", "sv"]

# Each page and strings it shows that Wagtail's fi or sv catalogue lacks (our locale files supply
# them).
EXPECTED = {
    "dashboard": [
        "Search all pages…",
        "Show keyboard shortcuts",
        "Close modal dialogs (like this one)",
    ],
    "explorer": ["Show keyboard shortcuts", "Date updated", "Edited by", "Has child pages"],
    "editor": [
        "Toggle preview",
        "Toggle checks",
        "Content metrics",
        "Readability",
        "Autosave is paused",
        "View latest version",
        "But only those with publishing permissions can make them effective.",
    ],
}


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def _logged_in(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def _translated(language, msgid):
    with translation.override(language):
        return gettext(msgid)


@pytest.fixture
def tree(db):
    from tests.library.tree import build_tree

    return build_tree()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_explorer_and_editor_speak_the_staff_members_language(tree, language):
    staff = member("ohjaaja", STAFF_GROUP)
    client = _logged_in(staff, language)
    page = tree["chair"]
    pages = {
        "dashboard": _text(client.get(reverse("wagtailadmin_home"))),
        "explorer": _text(client.get(reverse("wagtailadmin_explore", args=[page.get_parent().id]))),
        "editor": _text(client.get(reverse("wagtailadmin_pages:edit", args=[page.id]))),
    }
    for name, html in pages.items():
        for msgid in EXPECTED[name]:
            translated = _translated(language, msgid)
            assert translated != msgid, f"no {language} translation for {msgid!r}"
            assert translated in html, (name, msgid)
            assert msgid not in html, (name, msgid)
    shortcuts = _translated(
        language,
        "Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them.",
    )
    assert shortcuts.split("%(account_link)s")[0].strip() in pages["dashboard"]
    assert "Keyboard shortcuts are currently enabled" not in pages["dashboard"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_with_errors_offers_to_go_to_the_first_one_in_the_users_language(tree, language):
    staff = member("ohjaaja", STAFF_GROUP)
    url = reverse("wagtailadmin_pages:add", args=["library", "topicpage", tree["home"].id])

    html = _text(_logged_in(staff, language).post(url, {"title": ""}))

    for msgid in [
        "Go to the first error",
        "The page could not be created due to validation errors.",
    ]:
        assert _translated(language, msgid) in html
        assert msgid not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_sees_who_submitted_the_page_in_their_language(tree, language):
    staff = member("ohjaaja", STAFF_GROUP)
    editor = member("toimittaja", EDITORS_GROUP)
    page = tree["chair"]
    page.get_workflow().start(page, staff)

    html = _text(_logged_in(editor, language).get(reverse("wagtailadmin_home")))

    assert _translated(language, "Task submitted by") in html
    assert "Task submitted by" not in html


@pytest.mark.django_db
def test_wagtails_finnish_typo_is_overridden():
    with translation.override("fi"):
        assert gettext("Pages using %(page_type)s").startswith("Sivut")
        assert "SIvut" not in gettext("Pages using %(page_type)s")


@pytest.mark.parametrize(
    ("language", "one", "six"),
    [("fi", "1 video", "6 videota"), ("sv", "1 video", "6 videor"), ("en", "1 video", "6 videos")],
)
def test_video_counts_take_the_right_plural(language, one, six):
    from streaming.models import Video

    with translation.override(language):
        assert count_label(1, Video) == one
        assert count_label(6, Video) == six


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [1, 6])
def test_video_chooser_counts_in_the_users_language(language, count):
    from streaming.models import Video

    editor = member("toimittaja", EDITORS_GROUP)
    for number in range(count):
        Video.objects.create(title=f"Video {number}")

    html = _text(_logged_in(editor, language).get(reverse("video_chooser:choose_results")))

    with translation.override(language):
        expected = ngettext("%(count)s video", "%(count)s videos", count) % {"count": count}
        plural_name = str(Video._meta.verbose_name_plural)
    assert expected in html
    # Wagtail's own label was "6 videot" in Finnish (the plural name after a number).
    assert not re.search(rf"\b{count} {plural_name}\b", html) or plural_name in expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_javascript_catalogue_carries_our_translations(language):
    editor = member("toimittaja", EDITORS_GROUP)
    client = _logged_in(editor, language)

    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()

    # Wagtail's own djangojs catalogues lack this one in both languages; ours supplies it.
    expected = {"fi": "Tallennetaan automaattisesti…", "sv": "Sparar automatiskt…"}[language]
    assert json.dumps(expected) in catalogue


def _default_action(html: str) -> tuple[str, str]:
    """Name and label of the page editor's visible save button.

    Wagtail's action menu renders its default item first, as the dropdown's button, and the
    other items after it inside the dropdown: so the first action button in the footer."""
    footer = html[html.index("<footer") :]
    button = re.search(r"<button([^>]*)>(.*?)</button>", footer, re.S)
    name = re.search(r'name="(action-[\w-]+)"', button.group(1))
    label = re.sub(r"<[^>]+>|\s+", " ", unescape(button.group(2))).strip()
    return (name.group(1) if name else ""), label


@pytest.mark.django_db
def test_staff_see_submit_for_review_as_the_visible_action_and_editors_keep_save_draft(tree):
    page = tree["chair"]
    url = reverse("wagtailadmin_pages:edit", args=[page.id])
    staff_html = _logged_in(member("ohjaaja", STAFF_GROUP), "fi").get(url).content.decode()
    editor_html = _logged_in(member("toimittaja", EDITORS_GROUP), "fi").get(url).content.decode()

    staff_action, staff_label = _default_action(staff_html)
    editor_action, editor_label = _default_action(editor_html)

    with translation.override("fi"):
        submit = gettext("Submit to %(workflow_name)s") % {
            "workflow_name": page.get_workflow().name
        }
    assert (staff_action, staff_label) == ("action-submit", submit)
    # Editors may publish, but a click on the visible button never publishes by accident.
    assert editor_action != "action-publish"
    with translation.override("fi"):
        assert editor_label == gettext("Save draft")
    assert 'name="action-publish"' in editor_html


@pytest.mark.django_db
def test_date_picker_button_gets_a_translated_label(tree):
    html = _logged_in(member("ohjaaja", STAFF_GROUP), "sv").get(reverse("wagtailadmin_home"))
    with translation.override("sv"):
        label = pgettext("date-time picker button", "Save selected")
    assert label != "Save selected"
    assert f'data-save-selected-label="{label}"' in html.content.decode()
