import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import CollectionMember
from wagtail.search import index

from streaming.pipeline.download import DOWNLOAD
from streaming.pipeline.images import POSTER
from streaming.pipeline.run import CAPTIONS_DIR, MASTER


def original_upload_path(video: "Video", filename: str) -> str:
    """Keep the uploader's file name (it helps staff), in a random folder so names never clash."""
    name = PurePosixPath(filename).name[-100:] or "upload"
    return f"originals/{uuid.uuid4().hex}/{name}"


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Waiting for processing")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Video(CollectionMember, index.Indexed, models.Model):
    """A recording uploaded by staff; the pipeline turns it into an HLS ladder for clients."""

    title = models.CharField(_("title"), max_length=255)
    original = models.FileField(
        _("original file"), upload_to=original_upload_path, max_length=255, blank=True
    )
    original_size = models.BigIntegerField(_("original size in bytes"), null=True, blank=True)
    # Set when the retention period removed the original (streaming.retention): the video still
    # plays and can be trimmed, but it cannot be processed again.
    original_deleted_at = models.DateTimeField(
        _("original deleted at"), null=True, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    status = models.CharField(
        _("status"), max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADED
    )
    progress = models.FloatField(_("progress (%)"), default=0)
    eta_seconds = models.PositiveIntegerField(_("time left (s)"), null=True, blank=True)
    error_message = models.TextField(_("reason for failure"), blank=True)
    error_detail = models.TextField(_("technical detail"), blank=True)

    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    has_video = models.BooleanField(_("has picture"), default=True)

    # The storage prefix of the current, complete HLS output (e.g. "videos/12/3/"); empty until
    # the first version is ready. Switched only once a whole new version has been uploaded.
    output_prefix = models.CharField(max_length=255, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True, editable=False)
    # What the current version holds: its files (for clean-up) and its variants with measured rates.
    output_manifest = models.JSONField(default=dict, blank=True, editable=False)
    # Touched while a worker processes the video; a stale one means the worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Who asked for the change being processed now; it decides whether the result needs approval.
    change_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A complete version that changes what clients see, stored but waiting for an editor
    # (prefix, manifest, fields and the version it was built on); empty when nothing waits.
    pending_version = models.JSONField(default=dict, blank=True, editable=False)
    pending_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("change requested by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pending_since = models.DateTimeField(
        _("waiting for approval since"), null=True, blank=True, editable=False
    )

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("collection_id"),
        # The admin's listing filters by owner (streaming.permissions).
        index.FilterField("uploaded_by"),
    ]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]
        # Wagtail's "choose" collection permission, as for images and documents.
        permissions = [("choose_video", "Can choose video")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_playable(self) -> bool:
        """A complete version is published; it stays playable while a new one is processed."""
        return bool(self.output_prefix)

    @property
    def media_prefix(self) -> str:
        """Where the ladder, poster and download live: a caption-only version reuses them."""
        return self.output_manifest.get("media_prefix") or self.output_prefix

    def output_path(self, name: str) -> str:
        """Storage path of a file of the current output version."""
        own = name == MASTER or name.startswith(CAPTIONS_DIR + "/")
        return f"{self.output_prefix if own else self.media_prefix}{name}"

    def output_url(self, name: str) -> str:
        """The checked /media/ address of a published file (see studio/media.py)."""
        if not self.output_prefix:
            return ""
        return reverse("media", kwargs={"path": self.output_path(name)})

    @property
    def has_pending_changes(self) -> bool:
        return bool(self.pending_version)

    @property
    def published_captions(self) -> list[dict]:
        """The caption tracks clients see: those of the published version, not the working
        copies staff are editing (which may wait for approval)."""
        return [
            {**track, "url": reverse("media", kwargs={"path": self.output_prefix + track["uri"]})}
            for track in self.output_manifest.get("captions", [])
        ]

    @property
    def master_url(self) -> str:
        return self.output_url(MASTER)

    @property
    def download_url(self) -> str:
        # A live recording whose runs share no picture size has none (see live.archive_media).
        made = self.output_manifest.get("download_size", True) is not None
        return self.output_url(DOWNLOAD) if self.has_video and made else ""

    @property
    def poster_url(self) -> str:
        return self.output_url(POSTER) if self.has_video else ""
