"""The Saved page, the service worker script and the web app manifest."""

import json

from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from library.offline.icons import ICON_SIZES, icon_name

# Loaded by the service worker in this order: each Workbox module extends `self.workbox`.
WORKER_SCRIPTS = (
    "vendor/workbox/workbox-core.prod.js",
    "vendor/workbox/workbox-routing.prod.js",
    "vendor/workbox/workbox-range-requests.prod.js",
    "library/js/service-worker.js",
)
THEME_COLOUR = "#0b5394"
BACKGROUND_COLOUR = "#fdfcf9"


@require_safe
def saved(request):
    """What this device keeps for offline use; the list itself is read from Cache Storage."""
    return TemplateResponse(request, "library/saved.html", {})


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """/sw.js: at the root so that its scope covers the whole site.

    Only a loader: the worker's code and Workbox are static files with hashed names, so a new
    deployment changes this script's bytes and the browser installs the new worker.
    """
    urls = ", ".join(json.dumps(static(name)) for name in WORKER_SCRIPTS)
    body = f"importScripts({urls});\n"
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


@require_safe
@cache_control(max_age=86400)
def manifest(request):
    """/manifest.webmanifest: lets the tablet add Kotikanava to its home screen."""
    data = {
        "id": "/",
        "name": "Kotikanava",
        "short_name": "Kotikanava",
        "description": gettext("Exercise videos, recipes and guides, also without a connection."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static(f"library/icons/{icon_name(size)}"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in ICON_SIZES
        ],
        "shortcuts": [{"name": gettext("Saved"), "url": reverse("saved")}],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
