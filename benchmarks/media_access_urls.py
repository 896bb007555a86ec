"""studio.urls plus /unchecked-media/: the same delivery without the access check (the floor)."""

from django.urls import re_path

from streaming.delivery import deliver
from studio.urls import urlpatterns as project_urlpatterns


def unchecked(request, path):
    return deliver(request, path, public=True)


urlpatterns = [re_path(r"^unchecked-media/(?P<path>.*)$", unchecked), *project_urlpatterns]
