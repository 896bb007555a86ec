"""Choice lists shared by the page types and the listing filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    DEMANDING = "demanding", _("Demanding")


class Position(models.TextChoices):
    SEATED = "seated", _("Seated")
    STANDING = "standing", _("Standing")
    LYING = "lying", _("Lying down")


class Device(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    PHONE = "phone", _("Phone")
    COMPUTER = "computer", _("Computer")


class Diet(models.TextChoices):
    """Each value names the RecipePage boolean field that marks it."""

    GLUTEN_FREE = "gluten_free", _("Gluten-free")
    LACTOSE_FREE = "lactose_free", _("Lactose-free")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    LOW_COST = "low_cost", _("Low-cost")


class TopicIcon(models.TextChoices):
    EXERCISE = "exercise", _("Exercise")
    FOOD = "food", _("Food")
    DIGITAL = "digital", _("Digital skills")
    CAFE = "cafe", _("Café and company")
    OTHER = "other", _("Other")
