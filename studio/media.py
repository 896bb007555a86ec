"""Serving media/ in the embedded default, with the headers a CDN or nginx would add."""

from django.conf import settings
from django.views.static import serve

from streaming import files


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Content-Type"] = files.content_type(path)
        response["Cache-Control"] = files.cache_control(path)
    return response
