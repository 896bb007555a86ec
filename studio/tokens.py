"""Upload tokens: how a script or a phone app uploads with a staff member's rights, without
their password or a browser session.

A token reads ``<key>.<secret>``. Only the secret's SHA-256 is stored (the secret is 32 random
bytes, so a fast hash is enough); the key finds the row and the digests are compared in constant
time. It is shown once, when made. The middleware accepts a token only on the views listed in
``TOKEN_VIEWS`` (the tus upload endpoint), sent as ``Authorization: Bearer <token>``; such a
request carries its credential in a header no other site can make a browser send, which is why
those views need no CSRF token from it.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Views (``namespace:name``) that accept a token in place of a session.
TOKEN_VIEWS = {"videos:upload_sessions", "videos:upload_session"}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class UploadToken(models.Model):
    """A staff member's credential for tus uploads from scripts and apps."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="upload_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key = models.CharField(_("key"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("secret (SHA-256)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("upload token")
        verbose_name_plural = _("upload tokens")

    def __str__(self):
        return f"{self.user} {self.key}"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["UploadToken", str]:
        """A new token for ``user``; returns the row and the token text (not kept anywhere)."""
        key, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key=key, secret_hash=_digest(secret))
        return token, f"{key}.{secret}"

    @classmethod
    def authenticate(cls, text: str):
        """The active user a token belongs to, or None."""
        key, _dot, secret = text.strip().partition(".")
        token = cls.objects.select_related("user").filter(key=key).first()
        # Compare a digest even when the key is unknown, so timing tells nothing either way.
        expected = token.secret_hash if token else _digest(secrets.token_hex(8))
        if not hmac.compare_digest(expected, _digest(secret)) or token is None:
            return None
        if not token.user.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


class UploadTokenMiddleware:
    """``Authorization: Bearer <token>`` on the upload endpoint: act as the token's owner.

    After AuthenticationMiddleware. A wrong token is refused with 401 here, never passed on as
    an anonymous request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        scheme, _space, credential = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        match = request.resolver_match
        if match is None or match.view_name not in TOKEN_VIEWS:
            return None
        token = UploadToken.authenticate(credential)
        if token is None:
            response = JsonResponse({"error": str(_("The upload token is not valid."))}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="uploads"'
            response["Tus-Resumable"] = "1.0.0"
            return response
        request.user = token.user
        request.upload_token = token
        return None
