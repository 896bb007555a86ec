"""Clients' questions to the host of a live session: taking them in, handling them, forgetting them.

A question is stored with its text and time only. The rate limit counts in Django's cache under a
keyed hash of the client's address and the session, so no address is kept anywhere; with the
default per-process cache the limit applies per web process (a shared cache makes it exact).
Questions never leave the installation: no mail, no outside service.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from streaming.client_ip import client_ip
from streaming.models import LiveQuestion, LiveSession, LiveState, QuestionState
from streaming.validators import BIDI_CONTROLS

DEFAULT_RATE_LIMIT = 3
DEFAULT_RATE_WINDOW_SECONDS = 300
DEFAULT_RETENTION_DAYS = 30

# What the host's buttons do: the action's name in URLs, and the change it makes.
ACTIONS = ("answer", "hide", "approve")


def rate_limit() -> int:
    return int(getattr(settings, "KOTIKANAVA_QUESTION_RATE_LIMIT", DEFAULT_RATE_LIMIT))


def rate_window_seconds() -> int:
    return int(
        getattr(settings, "KOTIKANAVA_QUESTION_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW_SECONDS)
    )


def retention_days() -> int:
    return int(getattr(settings, "KOTIKANAVA_QUESTION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def accepts_questions(session: LiveSession) -> bool:
    return session.state == LiveState.LIVE


def _rate_key(request, session: LiveSession) -> str:
    digest = salted_hmac(
        "kotikanava.live-question-rate",
        f"{client_ip(request)}|{session.public_id}",
        algorithm="sha256",
    ).hexdigest()
    return f"kotikanava:question-rate:{digest}"


def is_rate_limited(request, session: LiveSession) -> bool:
    return (cache.get(_rate_key(request, session)) or 0) >= rate_limit()


def _count(request, session: LiveSession) -> None:
    """A fixed window from the first question: the cache forgets the count after it."""
    key = _rate_key(request, session)
    window = rate_window_seconds()
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)


def clean_text(text: str) -> str:
    """Drop direction-changing and other control characters; keep line breaks as spaces."""
    kept = []
    for char in text:
        if char in BIDI_CONTROLS:
            continue
        if char in "\r\n\t":
            kept.append(" ")
        elif ord(char) >= 32 and not 0x7F <= ord(char) < 0xA0:
            kept.append(char)
    return " ".join("".join(kept).split())


def receive(request, session: LiveSession, text: str) -> LiveQuestion:
    """Store a question already checked (live, visible, not limited, short enough)."""
    question = LiveQuestion.objects.create(session=session, text=text)
    _count(request, session)
    return question


def handle(question: LiveQuestion, action: str, user) -> LiveQuestion:
    """The host's or an editor's decision on one question."""
    if action == "answer":
        question.state = QuestionState.ANSWERED
    elif action == "hide":
        question.state = QuestionState.HIDDEN
        question.approved_for_viewers = False
    elif action == "approve":
        question.approved_for_viewers = True
        if question.state == QuestionState.HIDDEN:
            question.state = QuestionState.WAITING
    else:
        raise ValueError(action)
    question.handled_by = user
    question.handled_at = timezone.now()
    question.save(update_fields=["state", "approved_for_viewers", "handled_by", "handled_at"])
    return question


def shown_to_viewers(session: LiveSession):
    """Only what a person approved reaches other clients."""
    return session.questions.filter(approved_for_viewers=True).exclude(state=QuestionState.HIDDEN)


def may_handle(user, session: LiveSession) -> bool:
    """The session's host, or whoever may change live sessions (editors)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if session.host_id is not None and session.host_id == user.pk:
        return True
    from streaming.wagtail_hooks import live_session_viewset

    return live_session_viewset.permission_policy.user_has_permission(user, "change")


def delete_old_questions(now=None) -> int:
    """Delete questions older than KOTIKANAVA_QUESTION_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    deleted, _ = LiveQuestion.objects.filter(created_at__lt=cutoff).delete()
    return deleted
