"""StreamField blocks for the content pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class StepBlock(blocks.StructBlock):
    """One numbered step; the number comes from its place in the list."""

    text = blocks.TextBlock(label=_("What to do"))
    image = ImageChooserBlock(required=False, label=_("Picture"))
    image_alt = blocks.CharBlock(
        required=False,
        label=_("Picture description"),
        help_text=_("Describe the picture for people who cannot see it."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "library/blocks/step.html"


class ScreenshotStepBlock(blocks.StructBlock):
    """A digital-skills step: the screenshot is the point, so its description is required."""

    text = blocks.TextBlock(label=_("What to do"))
    screenshot = ImageChooserBlock(required=False, label=_("Screenshot"))
    screenshot_alt = blocks.CharBlock(
        required=False,
        label=_("Screenshot description"),
        help_text=_("Required with a screenshot: say what the screen shows and where to tap."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Step")
        template = "library/blocks/screenshot_step.html"

    def clean(self, value):
        value = super().clean(value)
        if value.get("screenshot") and not value.get("screenshot_alt", "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "screenshot_alt": ValidationError(
                        _("Describe the screenshot for people who cannot see it.")
                    )
                }
            )
        return value


class IngredientBlock(blocks.StructBlock):
    amount = blocks.DecimalBlock(required=False, min_value=0, decimal_places=2, label=_("Amount"))
    unit = blocks.CharBlock(required=False, max_length=20, label=_("Unit"))
    item = blocks.CharBlock(max_length=120, label=_("Ingredient"))

    class Meta:
        icon = "list-ul"
        label = _("Ingredient")
        template = "library/blocks/ingredient.html"


def step_list(block_class=StepBlock) -> blocks.StreamBlock:
    return blocks.StreamBlock([("step", block_class())], required=False)
