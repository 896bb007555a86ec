import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _


class Caption(models.Model):
    """A caption track (WebVTT, converted from SRT on upload) for one language of a video."""

    video = models.ForeignKey(
        "streaming.Video",
        verbose_name=_("video"),
        related_name="captions",
        on_delete=models.CASCADE,
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    label = models.CharField(_("label"), max_length=100, blank=True)
    file = models.FileField(_("WebVTT file"), upload_to="captions/", max_length=255)
    transcript = models.TextField(_("transcript"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")
        constraints = [
            models.UniqueConstraint(fields=["video", "language"], name="one_caption_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.video} ({self.get_language_display()})"

    def store(self, cues) -> None:
        """Save the cues as this track's WebVTT file and transcript; the old file goes.

        A new name each time: caption files are served as immutable.
        """
        from streaming.pipeline.captions import to_webvtt, transcript

        old_name = self.file.name if self.pk else ""
        self.transcript = transcript(cues)
        vtt = ContentFile(to_webvtt(cues).encode("utf-8"))
        name = f"{self.video_id}-{self.language}-{uuid.uuid4().hex[:8]}.vtt"
        self.file.save(name, vtt, save=False)
        self.save()
        if old_name and old_name != self.file.name:
            self.file.storage.delete(old_name)
