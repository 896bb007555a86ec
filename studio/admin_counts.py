"""Counts in the Wagtail admin that read right in Finnish and Swedish.

Wagtail's paginator labels a count as f"{count} {verbose_name_plural}" ("6 videot"), which is
wrong in Finnish (a number above one takes the partitive singular: "6 videota"). The label is
built in one place for every listing and chooser, so that is where it is replaced: with an
ngettext phrase for the models staff count most, and "Videot: 6" for any other model.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from wagtail.admin.paginator import WagtailPaginator


def _phrases():
    return {
        "streaming.video": lambda n: ngettext("%(count)s video", "%(count)s videos", n),
        "streaming.livesession": lambda n: ngettext(
            "%(count)s live session", "%(count)s live sessions", n
        ),
        "wagtailcore.page": lambda n: ngettext("%(count)s page", "%(count)s pages", n),
        "wagtailimages.image": lambda n: ngettext("%(count)s image", "%(count)s images", n),
        "wagtaildocs.document": lambda n: ngettext("%(count)s document", "%(count)s documents", n),
    }


def count_label(count: int, model=None) -> str:
    """`count` objects of `model`, in the active language."""
    phrase = _phrases().get(model._meta.label_lower) if model is not None else None
    if phrase is not None:
        return phrase(count) % {"count": count}
    if model is None:
        name = gettext("item") if count == 1 else gettext("items")
    else:
        name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return gettext("%(model_name)s: %(count)s") % {"model_name": capfirst(name), "count": count}


def install() -> None:
    """Make every Wagtail listing and chooser use `count_label`."""
    WagtailPaginator.items_count_label = property(
        lambda paginator: count_label(paginator.count, paginator.model)
    )
