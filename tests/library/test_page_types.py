"""Page-type rules: editors are offered only the choices that make sense where they are."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from library.models import (
    AccessibilityStatementPage,
    ContentPage,
    ExercisePage,
    GuidePage,
    HomePage,
    InfoPage,
    RecipePage,
    TopicPage,
)

CONTENT_TYPES = {ExercisePage, RecipePage, GuidePage}


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_holds_topics_information_pages_and_the_accessibility_statement(self):
        self.assertAllowedSubpageTypes(HomePage, {TopicPage, InfoPage, AccessibilityStatementPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_topics_hold_only_content_pages(self):
        self.assertAllowedSubpageTypes(TopicPage, CONTENT_TYPES)
        self.assertAllowedParentPageTypes(TopicPage, {HomePage})

    def test_content_pages_live_under_topics_and_have_no_children(self):
        for model in CONTENT_TYPES:
            self.assertAllowedParentPageTypes(model, {TopicPage})
            self.assertAllowedSubpageTypes(model, set())

    def test_abstract_base_is_never_offered(self):
        self.assertFalse(ContentPage.is_creatable)
        self.assertCanNotCreateAt(TopicPage, ContentPage)

    def test_content_cannot_be_created_directly_under_home(self):
        for model in CONTENT_TYPES:
            self.assertCanNotCreateAt(HomePage, model)
