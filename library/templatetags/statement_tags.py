"""The accessibility statement's link in every page's footer."""

from functools import reduce
from operator import or_

from django import template
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site

from library.models import AccessibilityStatementPage

register = template.Library()


@register.simple_tag(takes_context=True)
def accessibility_statement(context):
    """The statement under the current language's home, else the one in the site's main language.

    The law asks for a link from every page, so a language without its own translation of the
    statement links to the Finnish one (the footer marks that link with its language).
    """
    site = Site.find_for_request(context["request"])
    if site is None:
        return None
    root = site.root_page
    home_paths = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
    home_paths = list(home_paths.values_list("path", flat=True))
    statements = (
        AccessibilityStatementPage.objects.live()
        .public()
        .filter(depth=root.depth + 1)
        .filter(reduce(or_, (Q(path__startswith=path) for path in home_paths)))
        .select_related("locale")
    )
    by_language = {statement.locale.language_code: statement for statement in statements}
    return by_language.get(translation.get_language()) or by_language.get(settings.LANGUAGE_CODE)
