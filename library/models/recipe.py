from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from library.blocks import IngredientBlock, step_list
from library.choices import Diet
from library.models.content import ContentPage


class RecipePage(RoutablePageMixin, ContentPage):
    """Cooking instructions with structured ingredients and a print view for the kitchen wall."""

    video = models.ForeignKey(
        "streaming.Video",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    servings = models.PositiveSmallIntegerField(_("servings"), default=4)
    prep_minutes = models.PositiveSmallIntegerField(_("preparation time (minutes)"), default=15)
    cook_minutes = models.PositiveSmallIntegerField(_("cooking time (minutes)"), default=0)
    ingredients = StreamField(
        [("ingredient", IngredientBlock())], blank=True, verbose_name=_("ingredients")
    )
    steps = StreamField(step_list(), blank=True, verbose_name=_("steps"))
    gluten_free = models.BooleanField(Diet.GLUTEN_FREE.label, default=False)
    lactose_free = models.BooleanField(Diet.LACTOSE_FREE.label, default=False)
    vegetarian = models.BooleanField(Diet.VEGETARIAN.label, default=False)
    low_cost = models.BooleanField(Diet.LOW_COST.label, default=False)

    content_panels = ContentPage.build_content_panels(
        FieldPanel("video"),
        FieldRowPanel(
            [FieldPanel("servings"), FieldPanel("prep_minutes"), FieldPanel("cook_minutes")]
        ),
        MultiFieldPanel(
            [FieldPanel(diet.value) for diet in Diet], heading=_("Diet"), classname="collapsed"
        ),
        FieldPanel("ingredients"),
        FieldPanel("steps"),
    )
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("ingredients"),
        index.SearchField("steps"),
        *(index.FilterField(diet.value) for diet in Diet),
    ]
    template = "library/recipe_page.html"

    class Meta:
        verbose_name = _("recipe")
        verbose_name_plural = _("recipes")

    @property
    def total_minutes(self) -> int:
        return self.prep_minutes + self.cook_minutes

    def diets(self) -> list[Diet]:
        return [diet for diet in Diet if getattr(self, diet.value)]

    @path("print/", name="print")
    def print_view(self, request):
        """A plain page with only the recipe, for printing or reading large."""
        return TemplateResponse(
            request, "library/recipe_print.html", self.get_context(request) | {"page": self}
        )
