"""Publish names for the browser relay: short-lived, signed, never the host's stream key.

The stream key is stored hashed, so the live supervisor cannot publish with it. The relay it
runs for a browser source publishes as `<public id>.browser-<unix time>-<HMAC>` instead, signed
with the project's secret key: nginx-rtmp's `on_publish` then goes through the same `admit()` as
any RTMP publisher (window, state and one-source rules), and the host's own key stays valid.
"""

import hmac
import time

from django.utils.crypto import salted_hmac

from streaming.models import LiveSession

PREFIX = "browser-"
VALID_SECONDS = 120
SALT = "streaming.live.browser_key"


def _signature(public_id: str, stamp: str) -> str:
    return salted_hmac(SALT, f"{public_id}:{stamp}", algorithm="sha256").hexdigest()


def relay_key(session: LiveSession, now: float | None = None) -> str:
    stamp = str(int(now if now is not None else time.time()))
    return f"{session.public_id}.{PREFIX}{stamp}-{_signature(str(session.public_id), stamp)}"


def is_relay_secret(secret: str) -> bool:
    return secret.startswith(PREFIX)


def session_for_relay_key(public_id, secret: str, now: float | None = None) -> LiveSession | None:
    """The session, if the signature matches and was made in the last two minutes."""
    stamp, _dash, signature = secret.removeprefix(PREFIX).partition("-")
    if not stamp.isdigit() or abs((now or time.time()) - int(stamp)) > VALID_SECONDS:
        return None
    if not hmac.compare_digest(signature, _signature(str(public_id), stamp)):
        return None
    return LiveSession.objects.filter(public_id=public_id).first()
