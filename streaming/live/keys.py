"""Stream keys: random, shown once, stored hashed, compared in constant time.

A key is `<session public id>.<secret>`: the id finds the session, and only the secret's SHA-256
is stored. The secret has 192 random bits, so a fast hash is enough (nothing to brute-force).
"""

import hashlib
import hmac
import secrets
import uuid

from django.utils import timezone

from streaming.live import browser_key
from streaming.models import LiveSession

SECRET_BYTES = 24


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_key(session: LiveSession) -> str:
    """Give the session a new key (the old one stops working) and return it, once."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    session.key_hash = _digest(secret)
    session.key_rotated_at = timezone.now()
    if session.pk:
        LiveSession.objects.filter(pk=session.pk).update(
            key_hash=session.key_hash, key_rotated_at=session.key_rotated_at
        )
    return f"{session.public_id}.{secret}"


def session_for_key(key: str) -> LiveSession | None:
    """The session this key belongs to, or None for a wrong, rotated or malformed key."""
    public_id, dot, secret = key.partition(".")
    try:
        public_id = uuid.UUID(public_id)
    except ValueError:
        return None
    if dot and browser_key.is_relay_secret(secret):
        return browser_key.session_for_relay_key(public_id, secret)
    session = LiveSession.objects.filter(public_id=public_id).first()
    expected = session.key_hash if session else _digest(secrets.token_urlsafe(SECRET_BYTES))
    matches = hmac.compare_digest(_digest(secret), expected)
    return session if dot and session and matches else None
