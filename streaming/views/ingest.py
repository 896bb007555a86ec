"""nginx-rtmp's callbacks: on_publish, on_publish_done and on_update.

nginx reads only the status class: 2xx admits, 3xx admits under the name in `Location`, anything
else refuses. An admitted publish is renamed to its session's id, so the packager reads it back
from loopback without ever knowing the key. Only loopback and the configured ingest hosts are
believed.
"""

import functools
import ipaddress
import logging

from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from streaming.conf import setting
from streaming.live import ingest

logger = logging.getLogger("streaming.live")


def _is_ingest_host(address: str) -> bool:
    try:
        if ipaddress.ip_address(address).is_loopback:
            return True
    except ValueError:
        return False
    return address in setting("INGEST_HOSTS")


# nginx-rtmp calls directly; a request a reverse proxy relayed merely looks like loopback.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def ingest_callback(view):
    """POST only, no CSRF token (nginx has none), and only from the ingest server's address."""

    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def wrapper(request):
        address = request.META.get("REMOTE_ADDR", "")
        relayed = any(header in request.META for header in PROXY_HEADERS)
        if relayed or not _is_ingest_host(address):
            logger.warning("Ingest callback refused from %s: not the ingest server", address)
            return HttpResponseForbidden()
        return view(request)

    return wrapper


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _answer(ok: bool) -> HttpResponse:
    return HttpResponse(status=204) if ok else HttpResponseForbidden()


@ingest_callback
def on_publish(request):
    decision = ingest.admit(
        request.POST.get("name", ""),
        request.POST.get("clientid", ""),
        _address(request.POST.get("addr", "")),
        timezone.now(),
    )
    if not decision.admitted:
        return HttpResponseForbidden()
    response = HttpResponse(status=302)
    # Not an rtmp:// URL, so nginx-rtmp keeps the publish here and only renames the stream.
    response["Location"] = str(decision.publisher.session.public_id)
    return response


@ingest_callback
def on_publish_done(request):
    ingest.publish_done(
        request.POST.get("clientid", ""), request.POST.get("name", ""), timezone.now()
    )
    return _answer(True)


@ingest_callback
def on_update(request):
    alive = ingest.update(
        request.POST.get("clientid", ""),
        request.POST.get("name", ""),
        timezone.now(),
        publishing=request.POST.get("call") == "update_publish",
    )
    return _answer(alive)
