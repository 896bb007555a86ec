"""Template tags for the client pages: site navigation, languages, icons, and the language a
page's text is really in."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Locale, Page, Site

from library.models import HomePage, InfoPage

register = template.Library()

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _home(request) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    try:
        return root.localized
    except Page.DoesNotExist:
        return root


@register.simple_tag(takes_context=True)
def site_home(context):
    return _home(context["request"])


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """Information pages (accessibility statement, contact) of the current language's home."""
    home = _home(context["request"])
    if home is None:
        return InfoPage.objects.none()
    return InfoPage.objects.child_of(home).live().public().order_by("path")


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the translation of this page where one exists, else that home."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated.get_url(request)
    home = _home(request)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code)
        if url is None and home is not None and not isinstance(page, Page):
            url = translate_url(request.get_full_path(), code)
        if url is None and home is not None:
            localized = home.get_translations(inclusive=True).filter(locale__language_code=code)
            target = localized.live().first()
            url = target.get_url(request) if target else None
        if url:
            links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.filter
def is_home(page) -> bool:
    return isinstance(getattr(page, "specific_deferred", page), HomePage)


@register.simple_tag
def active_locale():
    return Locale.get_active()


def _source_page(page):
    """The default language's version of a translated page (looked up once per page object)."""
    if not hasattr(page, "_fallback_source"):
        source = page.get_translation_or_none(Locale.get_default())
        page._fallback_source = source.specific if source is not None else None
    return page._fallback_source


@register.simple_tag
def text_language(page, field: str) -> str:
    """The language of `page.<field>` as shown.

    A translated page starts as a copy of its source (Wagtail's simple translation), so until
    someone translates a field it still holds the source language's text: that text is marked
    with the source's language, not the page's.
    """
    page = getattr(page, "specific_deferred", page)
    own = page.locale.language_code
    value = getattr(page, field, None)
    if not value or page.locale_id == Locale.get_default().pk:
        return own
    source = _source_page(page)
    if source is not None and getattr(source, field, None) == value:
        return Locale.get_default().language_code
    return own


@register.simple_tag(takes_context=True)
def fallback_lang(context, page, field: str) -> str:
    """` lang="fi"` on an element whose text is still the source language's copy on a page in
    another language (so screen readers pronounce it right); nothing when it is translated."""
    code = text_language(page, field)
    if code == (translation.get_language() or page.locale.language_code):
        return ""
    return format_html(' lang="{}"', code)
