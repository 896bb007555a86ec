from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from library.blocks import ScreenshotStepBlock, step_list
from library.choices import Device
from library.models.content import ContentPage


class GuidePage(ContentPage):
    """A digital-skills guide: one task on one device, step by step with screenshots."""

    video = models.ForeignKey(
        "streaming.Video",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    device = models.CharField(_("device"), max_length=20, choices=Device.choices)
    app = models.CharField(
        _("app or service"),
        max_length=120,
        blank=True,
        help_text=_("For example: WhatsApp, Suomi.fi, the bank's app."),
    )
    steps = StreamField(step_list(ScreenshotStepBlock), blank=True, verbose_name=_("steps"))

    content_panels = ContentPage.build_content_panels(
        FieldPanel("device"),
        FieldPanel("app"),
        FieldPanel("level"),
        FieldPanel("video"),
        FieldPanel("steps"),
    )
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("app", boost=2),
        index.SearchField("steps"),
        index.FilterField("device"),
    ]
    template = "library/guide_page.html"

    class Meta:
        verbose_name = _("digital-skills guide")
        verbose_name_plural = _("digital-skills guides")
