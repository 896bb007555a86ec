from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from library.choices import TopicIcon
from library.filters import ContentFilter
from library.forms import PageForm
from library.models.content import ContentPage


class TopicPage(Page):
    """A shelf of the library (Liikunta, Ruoka, Digitaidot) listing its pages with filters."""

    intro = models.TextField(_("introduction"), blank=True, max_length=400)
    icon = models.CharField(
        _("icon"), max_length=20, choices=TopicIcon.choices, default=TopicIcon.OTHER
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("icon")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    base_form_class = PageForm
    parent_page_types = ["library.HomePage"]
    subpage_types = ["library.ExercisePage", "library.RecipePage", "library.GuidePage"]
    template = "library/topic_page.html"

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = ContentPage.objects.child_of(self).live().public().with_minutes()
        content_filter = ContentFilter(request.GET or None, queryset=pages, topic=self)
        context["filter"] = content_filter
        context["pages"] = content_filter.qs.order_by("title").specific()
        return context
