"""Language-prefixed URLs for the library, but never for the admin, media or static files."""

from django.middleware.locale import LocaleMiddleware

UNPREFIXED = ("/admin/", "/django-admin/", "/media/", "/static/", "/documents/", "/i18n/")


class LibraryLocaleMiddleware(LocaleMiddleware):
    """Django redirects a 404 to its language-prefixed twin when that path resolves; Wagtail's
    catch-all page route resolves every path, so an admin 404 (or an upload PUT to a gone
    session) would turn into a redirect to /fi/admin/... Paths outside the library keep their 404.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
