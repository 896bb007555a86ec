"""An upload in progress: what the browser declared and how much of it has arrived.

Large recordings travel over weak links, so an upload is a session the browser can resume after a
dropped connection or a page reload instead of starting again from the first byte.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadState(models.TextChoices):
    OPEN = "open", _("Uploading")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class UploadSession(models.Model):
    """One file being uploaded in chunks; its bytes live in a temporary file until finished."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("declared size in bytes"))
    received = models.BigIntegerField(_("bytes received"), default=0)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=UploadState.choices, default=UploadState.OPEN
    )
    video = models.ForeignKey(
        "streaming.Video",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Disk is reserved for the rest of the file only while the upload is moving: an idle session
    # keeps what arrived but must claim room again before it continues (streaming.uploads).
    reserved_until = models.DateTimeField(
        _("space reserved until"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("upload session")
        verbose_name_plural = _("upload sessions")

    def __str__(self) -> str:
        return f"{self.filename} ({self.received}/{self.size})"

    @property
    def is_complete(self) -> bool:
        return self.received == self.size

    @property
    def remaining(self) -> int:
        return self.size - self.received
