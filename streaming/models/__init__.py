"""The media engine's models: uploaded videos and what the pipeline makes of them."""

from streaming.models.caption import Caption
from streaming.models.live import (
    ArchivePolicy,
    LivePublisher,
    LiveRun,
    LiveSeries,
    LiveSession,
    LiveState,
    LiveTopic,
    LiveVisibility,
)
from streaming.models.live_question import LiveQuestion, QuestionState
from streaming.models.upload import UploadSession, UploadState
from streaming.models.video import Video, VideoStatus

__all__ = [
    "ArchivePolicy",
    "Caption",
    "LivePublisher",
    "LiveQuestion",
    "LiveRun",
    "LiveSeries",
    "LiveSession",
    "LiveState",
    "LiveTopic",
    "LiveVisibility",
    "QuestionState",
    "UploadSession",
    "UploadState",
    "Video",
    "VideoStatus",
]
