"""A search field that indexes the Finnish base forms of a page's other searchable text."""

from django.db.models import Manager
from django.utils.encoding import force_str
from wagtail.search import index

from library.search import finnish


def is_finnish(obj) -> bool:
    locale = getattr(obj, "locale", None)
    return bool(locale) and locale.language_code.split("-")[0] == "fi"


def _texts(value):
    """Every string in a search field's value (strings, lists, dicts, tags, None)."""
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    else:
        yield force_str(value)


def _searchable_texts(obj, fields):
    for field in fields:
        if isinstance(field, BaseFormsField):
            continue
        if isinstance(field, index.SearchField):
            yield from _texts(field.get_value(obj))
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if isinstance(related, Manager):
                related = related.all()
            elif callable(related):
                related = related()
            for item in (
                related if related is not None and hasattr(related, "__iter__") else [related]
            ):
                if item is not None:
                    yield from _searchable_texts(item, field.fields)


class BaseFormsField(index.SearchField):
    """Base forms and compound parts (Voikko) of the text in the model's other search fields.

    Declared once on a base model, it covers every field its subclasses add to
    `search_fields`. Only Finnish pages get base forms; other languages index nothing extra.
    The name it carries, "search_fields", is the attribute it reads from (and one the model
    has, which Wagtail's system check asks for); the value never comes from that attribute.
    """

    def __init__(self, **kwargs):
        super().__init__("search_fields", **kwargs)

    def get_value(self, obj):
        if not is_finnish(obj):
            return ""
        return finnish.index_text(" ".join(_searchable_texts(obj, type(obj).get_search_fields())))
