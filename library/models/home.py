from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from library.forms import PageForm
from library.models.content import PLAIN_FEATURES, ContentPage


class HomePage(Page):
    """The library's front page: what is live now, big topic tiles, the week's live sessions,
    then what is new."""

    intro = models.TextField(_("welcome text"), blank=True, max_length=300)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    base_form_class = PageForm
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["library.TopicPage", "library.InfoPage", "library.AccessibilityStatementPage"]
    max_count_per_parent = 1
    template = "library/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from library.live.schedule import home_sessions
        from library.models.topic import TopicPage

        context = super().get_context(request, *args, **kwargs)
        # "Live now" and "Next 7 days": clients find what is on and join with one tap.
        context.update(home_sessions(request))
        context["topics"] = TopicPage.objects.child_of(self).live().public()
        context["latest"] = (
            ContentPage.objects.descendant_of(self)
            .live()
            .public()
            .order_by("-first_published_at")
            .specific()[:4]
        )
        return context


class InfoPage(Page):
    """Plain text pages such as the accessibility statement and contact details."""

    body = RichTextField(_("body"), features=[*PLAIN_FEATURES, "h2", "h3"])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    base_form_class = PageForm
    parent_page_types = ["library.HomePage"]
    subpage_types = []
    template = "library/info_page.html"

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
