"""Scheduled live sessions and the publishers that stream to them.

A session is planned by editors (title, time, topic, who hosts) and gets its own stream key; the
ingest server asks the app, on every publish, whether a key may stream now. Connections are kept
per publisher (nginx-rtmp's `clientid`), not per key: a second publisher on a busy key is
admitted by the callback and then refused by the module, and its end still fires a callback.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveTopic(models.TextChoices):
    EXERCISE = "exercise", _("Exercise")
    COOKING = "cooking", _("Cooking")
    DIGITAL = "digital", _("Digital skills")
    CAFE = "cafe", _("Café")


class ArchivePolicy(models.TextChoices):
    REVIEW = "review", _("Archive for an editor's review")
    NONE = "none", _("Do not archive")


class LiveVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    SIGNED_IN = "signed_in", _("Signed-in users only")


class LiveState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")
    ARCHIVED = "archived", _("Archived")
    FAILED = "failed", _("Failed")


class LivePlan(models.Model):
    """What editors plan for a broadcast, whether one session or a weekly series of them."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    topic = models.CharField(
        _("topic"), max_length=20, choices=LiveTopic.choices, default=LiveTopic.EXERCISE
    )
    planned_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=45)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=LiveVisibility.choices,
        default=LiveVisibility.PUBLIC,
    )
    archive_policy = models.CharField(
        _("archive"), max_length=20, choices=ArchivePolicy.choices, default=ArchivePolicy.REVIEW
    )

    class Meta:
        abstract = True


class LiveSeries(LivePlan):
    """A weekly session (the Tuesday chair exercises): its occurrences are `LiveSession`s, made
    when the series is created, each with its own page, key and archive."""

    first_starts_at = models.DateTimeField(_("first session starts at"))
    weeks = models.PositiveSmallIntegerField(
        _("number of weekly sessions"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly live series")
        verbose_name_plural = _("weekly live series")
        ordering = ["first_starts_at"]

    def __str__(self) -> str:
        return self.title


class LiveSession(LivePlan):
    """One planned broadcast: its schedule, its stream key (stored hashed) and its state."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    series = models.ForeignKey(
        LiveSeries,
        verbose_name=_("weekly series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=LiveState.choices, default=LiveState.SCHEDULED
    )
    failure_reason = models.TextField(_("reason for failure"), blank=True)
    # When it went live, when it ended (the grace period passed, or an editor ended it).
    went_live_at = models.DateTimeField(_("went live at"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)
    # The editor who ended it ("End now"): such a session takes no more publishers, while one
    # the grace period ended may be resumed within its window, making a further recording.
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set once, when the archive task is queued: the session is then never archived twice.
    archive_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The recording made of it, once archived.
    video = models.ForeignKey(
        "streaming.Video",
        verbose_name=_("recording"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # SHA-256 of the key's secret part: the key itself is shown once, when made or rotated.
    key_hash = models.CharField(max_length=64, editable=False)
    key_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def planned_end(self):
        return self.starts_at + timedelta(minutes=self.planned_minutes)

    @property
    def media_prefix(self) -> str:
        """Storage folder of the live output: named by the session's id, never by its key."""
        return f"live/{self.public_id}/"


class LivePublisher(models.Model):
    """One RTMP connection admitted to publish to a session; `ended_at` once it has gone."""

    session = models.ForeignKey(
        LiveSession, verbose_name=_("live session"), on_delete=models.CASCADE, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")
        constraints = [
            # At most one connection streams to a session at a time.
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_publisher_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} ({self.client_id})"


class LiveRun(models.Model):
    """One packager run: one ffmpeg reading one publish from loopback.

    A reconnect or a restarted packager starts a new run; the session's playlists join the runs
    with a discontinuity, each run with its own init segments (its picture size may differ).
    """

    session = models.ForeignKey(
        LiveSession, verbose_name=_("live session"), on_delete=models.CASCADE, related_name="runs"
    )
    number = models.PositiveIntegerField()
    publisher = models.ForeignKey(
        LivePublisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The rungs this run writes ({"name", "width", "height", "fps", "max_kbps"}) and whether
    # it has sound: from the probe of the incoming stream.
    rungs = models.JSONField(default=list, blank=True)
    has_audio = models.BooleanField(default=True)
    # Segments written so far (counted by the supervisor), and why it stopped if it failed.
    segments = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("packager run")
        verbose_name_plural = _("packager runs")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="one_run_number_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.number}"

    @property
    def folder(self) -> str:
        return f"{self.session.media_prefix}r{self.number}/"
