from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale

from library.models import ContentPage
from library.search.query import search_pages

RESULTS_PER_PAGE = 12
MAX_QUERY_LENGTH = 200


def search(request):
    """Search every content type in the current language."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = []
    if query:
        locale = Locale.get_active()
        pages = ContentPage.objects.live().public().filter(locale=locale)
        results = search_pages(pages, query, locale.language_code)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "library/search.html",
        {"query": query, "results": page, "result_pages": [r.specific for r in page]},
    )
