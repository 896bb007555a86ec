"""Taking in a client's feedback: a small per-address limit, then store and tell the editors."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import translation

from library.feedback.forms import FeedbackForm
from streaming.client_ip import client_ip


def _rate_key(request) -> str:
    return f"kotikanava:feedback-rate:{client_ip(request)}"


def _limited(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= settings.KOTIKANAVA_FEEDBACK_RATE_LIMIT


def _count(request) -> None:
    """A fixed window that starts with the first message: the cache forgets the count after it.

    Kept in Django's cache, so with several web processes and the default per-process cache
    the limit applies per process; a shared cache (Redis, database) makes it exact.
    """
    key = _rate_key(request)
    window = settings.KOTIKANAVA_FEEDBACK_RATE_WINDOW_MINUTES * 60
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)


def receive_feedback(statement, request):
    if _limited(request):
        response = statement.render_with_form(
            request, FeedbackForm(), status=429, rate_limited=True
        )
        response["Retry-After"] = str(settings.KOTIKANAVA_FEEDBACK_RATE_WINDOW_MINUTES * 60)
        return response
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return statement.render_with_form(request, form)
    feedback = form.save(commit=False)
    feedback.statement = statement
    feedback.language = translation.get_language() or settings.LANGUAGE_CODE
    feedback.save()
    _count(request)

    from library.feedback.tasks import notify_editors

    transaction.on_commit(lambda: notify_editors.enqueue(feedback.pk))
    return HttpResponseRedirect(statement.get_url(request) + "?sent=1#feedback")
