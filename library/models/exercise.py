from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from library.blocks import step_list
from library.choices import Position
from library.models.content import PLAIN_FEATURES, ContentPage


class ExercisePage(ContentPage):
    """A chair exercise or other movement video with safe, step-by-step instructions."""

    video = models.ForeignKey(
        "streaming.Video",
        verbose_name=_("video"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=10)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    equipment = models.CharField(
        _("equipment"),
        max_length=255,
        blank=True,
        help_text=_("For example: a sturdy chair without wheels, a water bottle."),
    )
    safety_notes = RichTextField(_("safety notes"), blank=True, features=PLAIN_FEATURES)
    steps = StreamField(step_list(), blank=True, verbose_name=_("steps"))

    content_panels = ContentPage.build_content_panels(
        FieldPanel("video"),
        FieldPanel("duration_minutes"),
        FieldPanel("level"),
        FieldPanel("position"),
        FieldPanel("equipment"),
        FieldPanel("safety_notes"),
        FieldPanel("steps"),
    )
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("equipment"),
        index.SearchField("steps"),
        index.FilterField("position"),
        index.FilterField("duration_minutes"),
    ]
    template = "library/exercise_page.html"

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
