"""The library's own record of the pages it drafted for live sessions' recordings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveRecordingPage(models.Model):
    """One row per live recording the library has drafted a page for (a session resumed after
    its grace period makes a second recording, and gets a second page).

    The row, not the page, makes drafting idempotent: a repeated `session_archived` signal finds
    it and does nothing, and a draft an editor deleted on purpose is not drafted again (its
    `page` is then empty). Kept in the library so that the media engine's models stay unaware of
    pages.
    """

    session = models.ForeignKey(
        "streaming.LiveSession",
        verbose_name=_("live session"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    video = models.OneToOneField(
        "streaming.Video",
        verbose_name=_("recording"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("page drafted for a live recording")
        verbose_name_plural = _("pages drafted for live recordings")

    def __str__(self) -> str:
        return f"{self.session_id} -> {self.page_id}"
