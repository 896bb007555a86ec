"""Listing filters for topic pages; only the filters that fit a topic's pages are shown."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from library.choices import Diet, Level, Position

DURATION_RANGES = {
    "short": (None, 10),
    "medium": (11, 30),
    "long": (31, None),
}
DURATION_CHOICES = [
    ("short", _("10 minutes or less")),
    ("medium", _("11–30 minutes")),
    ("long", _("Over 30 minutes")),
]

# Which page types each filter applies to (by model name); a topic shows a filter only when it
# has pages of those types.
FILTER_PAGE_TYPES = {
    "duration": {"exercisepage", "recipepage"},
    "level": {"exercisepage", "guidepage"},
    "position": {"exercisepage"},
    "diet": {"recipepage"},
}


class ContentFilter(django_filters.FilterSet):
    duration = django_filters.ChoiceFilter(
        label=_("Duration"),
        choices=DURATION_CHOICES,
        method="filter_duration",
        empty_label=_("Any length"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("Any level")
    )
    position = django_filters.ChoiceFilter(
        label=_("Position"),
        choices=Position.choices,
        field_name="exercisepage__position",
        empty_label=_("Any position"),
    )
    diet = django_filters.ChoiceFilter(
        label=_("Diet"), choices=Diet.choices, method="filter_diet", empty_label=_("Any diet")
    )
    tag = django_filters.CharFilter(
        field_name="tags__name", lookup_expr="iexact", widget=forms.HiddenInput
    )

    def __init__(self, *args, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topic is not None:
            present = self._page_types_in(topic)
            for name, page_types in FILTER_PAGE_TYPES.items():
                if not present & page_types:
                    del self.filters[name]

    @staticmethod
    def _page_types_in(topic) -> set[str]:
        return {
            model_name
            for model_name in topic.get_children()
            .live()
            .values_list("content_type__model", flat=True)
            .distinct()
        }

    def filter_duration(self, queryset, name, value):
        low, high = DURATION_RANGES[value]
        condition = Q()
        if low is not None:
            condition &= Q(minutes__gte=low)
        if high is not None:
            condition &= Q(minutes__lte=high)
        return queryset.filter(condition)

    def filter_diet(self, queryset, name, value):
        return queryset.filter(**{f"recipepage__{Diet(value).value}": True})

    @property
    def visible_fields(self):
        return [field for field in self.form if not field.is_hidden]

    @property
    def is_active(self) -> bool:
        return self.is_bound and any(self.form.cleaned_data.values()) if self.is_valid() else False
