"""What every client-facing content page has in common."""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from library.choices import Level
from library.forms import PageForm
from library.search.fields import BaseFormsField

PLAIN_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class ContentPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "library.ContentPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ContentPageQuerySet(PageQuerySet):
    def with_minutes(self):
        """Annotate `minutes`: an exercise's duration or a recipe's preparation plus cooking."""
        return self.annotate(
            minutes=Coalesce(
                "exercisepage__duration_minutes",
                models.F("recipepage__prep_minutes") + models.F("recipepage__cook_minutes"),
                "recipepage__prep_minutes",
                "recipepage__cook_minutes",
            )
        )


class ContentPage(Page):
    """Base of exercise, recipe and guide pages: shared fields, search, tags and listing."""

    summary = models.TextField(
        _("summary in plain language"),
        max_length=400,
        help_text=_("Two or three short sentences: what this is and who it suits."),
    )
    easy_read = RichTextField(
        _("easy-to-read version (selkokieli)"),
        blank=True,
        features=PLAIN_FEATURES,
        help_text=_("Optional. Short sentences, everyday words, one thing at a time."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    tags = ClusterTaggableManager(through=ContentPageTag, blank=True, verbose_name=_("tags"))

    objects = PageManager.from_queryset(ContentPageQuerySet)()

    base_form_class = PageForm
    is_creatable = False
    parent_page_types = ["library.TopicPage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.AutocompleteField("summary"),
        BaseFormsField(),
        index.SearchField("easy_read"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("level"),
    ]

    intro_panels = [FieldPanel("summary"), FieldPanel("listing_image")]
    common_panels = [
        FieldPanel("easy_read"),
        FieldPanel("tags"),
        InlinePanel("related_links", heading=_("Related pages"), label=_("Related page")),
    ]

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")

    @classmethod
    def build_content_panels(cls, *specific_panels):
        return [
            *Page.content_panels,
            *cls.intro_panels,
            MultiFieldPanel(list(specific_panels), heading=_("Details")),
            *cls.common_panels,
        ]

    def related_pages(self):
        pages = [link.page for link in self.related_links.select_related("page")]
        return [page.specific for page in pages if page and page.live]


class RelatedPage(Orderable):
    source = ParentalKey(ContentPage, related_name="related_links", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [
        PageChooserPanel(
            "page", ["library.ExercisePage", "library.RecipePage", "library.GuidePage"]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("related page")
        verbose_name_plural = _("related pages")
