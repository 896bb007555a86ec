"""Questions clients send to the host of a live session.

Nothing about the sender is stored (no name, no address): the rate limit keys Django's cache by
a hash instead. A question reaches other viewers only after a person approves it, and all of them
are deleted after KOTIKANAVA_QUESTION_RETENTION_DAYS (streaming.live.questions).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from streaming.models.live import LiveSession

QUESTION_MAX_LENGTH = 280


class QuestionState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ANSWERED = "answered", _("Answered")
    HIDDEN = "hidden", _("Hidden")


class LiveQuestion(models.Model):
    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("live session"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    text = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=20, choices=QuestionState.choices, default=QuestionState.WAITING
    )
    approved_for_viewers = models.BooleanField(_("shown to viewers"), default=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at", "pk"]
        # Who may handle them follows the session (its host, or who may change sessions).
        default_permissions = ()

    def __str__(self) -> str:
        return self.text[:50]
