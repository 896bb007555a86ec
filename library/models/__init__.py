"""Client-facing page types; split by page type, re-exported here as Wagtail's core does."""

from library.models.content import ContentPage, ContentPageTag, RelatedPage
from library.models.exercise import ExercisePage
from library.models.guide import GuidePage
from library.models.home import HomePage, InfoPage
from library.models.live import LiveRecordingPage
from library.models.recipe import RecipePage
from library.models.statement import AccessibilityFeedback, AccessibilityStatementPage
from library.models.topic import TopicPage

__all__ = [
    "AccessibilityFeedback",
    "AccessibilityStatementPage",
    "ContentPage",
    "ContentPageTag",
    "ExercisePage",
    "GuidePage",
    "HomePage",
    "InfoPage",
    "LiveRecordingPage",
    "RecipePage",
    "RelatedPage",
    "TopicPage",
]
