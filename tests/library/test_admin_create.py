"""Creating every page type through the real Wagtail admin form, as staff would."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from library.models import ExercisePage, GuidePage, InfoPage, RecipePage, TopicPage
from streaming.models import Video
from tests.library.tree import build_tree

COMMON = {
    "summary": "Selkeä yhteenveto.",
    "easy_read": rich_text("<p>Helppo teksti.</p>"),
    "tags": "testi, koti",
    "related_links": inline_formset([]),
}


@pytest.mark.django_db
class AdminCreateTests(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        self.tree = build_tree()
        self.login()

    def test_create_exercise(self):
        video = Video.objects.create(title="Uusi video")
        data = nested_form_data(
            {
                "title": "Hartiajumppa",
                "slug": "hartiajumppa",
                **COMMON,
                "video": video.pk,
                "duration_minutes": 12,
                "level": "easy",
                "position": "seated",
                "equipment": "Tuoli",
                "safety_notes": rich_text("<p>Varovasti.</p>"),
                "steps": streamfield(
                    [("step", {"text": "Nosta hartiat.", "image": "", "image_alt": ""})]
                ),
            }
        )
        self.assertCanCreate(self.tree["topics"][0], ExercisePage, data)
        page = ExercisePage.objects.get(slug="hartiajumppa")
        assert page.video == video
        assert sorted(page.tags.names()) == ["koti", "testi"]

    def test_create_recipe(self):
        data = nested_form_data(
            {
                "title": "Pannukakku",
                "slug": "pannukakku",
                **COMMON,
                "video": "",
                "servings": 6,
                "prep_minutes": 10,
                "cook_minutes": 25,
                "gluten_free": "",
                "lactose_free": "",
                "vegetarian": "on",
                "low_cost": "on",
                "ingredients": streamfield(
                    [
                        ("ingredient", {"amount": "5", "unit": "dl", "item": "maitoa"}),
                        ("ingredient", {"amount": "", "unit": "", "item": "suolaa"}),
                    ]
                ),
                "steps": streamfield(
                    [("step", {"text": "Sekoita.", "image": "", "image_alt": ""})]
                ),
            }
        )
        self.assertCanCreate(self.tree["topics"][1], RecipePage, data)
        page = RecipePage.objects.get(slug="pannukakku")
        assert [i.value["item"] for i in page.ingredients] == ["maitoa", "suolaa"]
        assert page.vegetarian and page.low_cost and not page.gluten_free

    def test_create_guide(self):
        data = nested_form_data(
            {
                "title": "Sähköposti",
                "slug": "sahkoposti",
                **COMMON,
                "device": "tablet",
                "app": "Gmail",
                "level": "easy",
                "video": "",
                "steps": streamfield(
                    [("step", {"text": "Avaa sovellus.", "screenshot": "", "screenshot_alt": ""})]
                ),
            }
        )
        self.assertCanCreate(self.tree["topics"][2], GuidePage, data)

    def test_create_topic_and_info_page(self):
        self.assertCanCreate(
            self.tree["home"],
            TopicPage,
            nested_form_data(
                {"title": "Kahvila", "slug": "kahvila", "intro": "Etäkahvila", "icon": "cafe"}
            ),
        )
        self.assertCanCreate(
            self.tree["home"],
            InfoPage,
            nested_form_data(
                {"title": "Yhteystiedot", "slug": "yhteystiedot", "body": rich_text("<p>Soita</p>")}
            ),
        )

    def test_screenshot_without_description_is_refused(self):
        from wagtail.images.models import Image
        from wagtail.images.tests.utils import get_test_image_file

        screenshot = Image.objects.create(title="Näyttö", file=get_test_image_file())
        data = nested_form_data(
            {
                "title": "Ilman kuvausta",
                "slug": "ilman-kuvausta",
                **COMMON,
                "device": "tablet",
                "app": "",
                "level": "",
                "video": "",
                "steps": streamfield(
                    [
                        (
                            "step",
                            {"text": "Paina.", "screenshot": screenshot.pk, "screenshot_alt": ""},
                        )
                    ]
                ),
                "action-publish": "publish",
            }
        )
        parent = self.tree["topics"][2]
        response = self.client.post(f"/admin/pages/add/library/guidepage/{parent.pk}/", data)
        assert response.status_code == 200
        assert not GuidePage.objects.filter(slug="ilman-kuvausta").exists()
        with translation.override("fi"):
            expected = gettext("Describe the screenshot for people who cannot see it.")
        # Block errors reach the page inside the editor's JSON, non-ASCII escaped.
        self.assertContains(response, json.dumps(expected)[1:-1])
