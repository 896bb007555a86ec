"""Errors the pipeline raises: one the uploader can act on, one for everything else.

Messages are lazy translations; nothing here evaluates them, so the pipeline runs without Django
settings and the Django side renders them in the staff member's own language.
"""

from django.utils.translation import gettext_lazy as _


class MediaRejected(Exception):
    """The upload is not something we will process; `message` tells staff why, plainly.

    `code` is a stable slug for logic and tests; `detail` is technical, for administrators.
    """

    def __init__(self, code: str, message, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.message = message
        self.detail = detail


class PipelineFailed(Exception):
    """ffmpeg failed on an input that passed validation: an admin should look at `detail`."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.message = _("Processing the video failed. An administrator has the details.")
        self.detail = detail


REASONS = {
    "empty": _("The file is empty. Try uploading it again."),
    "not_media": _("The file is not a video or audio recording we can read."),
    "playlist": _("The file is a playlist or a list of other files, not a recording."),
    "no_streams": _("The file has no picture or sound."),
    "too_many_pixels": _("The picture is larger than we can process."),
    "too_long": _("The recording is longer than allowed."),
    "truncated": _("The file seems to be cut short or damaged. Try uploading it again."),
    "timeout": _("Reading the file took too long. It may be damaged."),
    "longer_than_claimed": _(
        "The recording is longer than its file says, so the file may be damaged. "
        "Save or export the recording again and upload the new file."
    ),
    "too_much_output": _(
        "Processing made far more data than a recording of this length should, so the file "
        "may be damaged. Save or export the recording again and upload the new file."
    ),
}


def rejected(code: str, detail: str = "") -> MediaRejected:
    return MediaRejected(code, REASONS[code], detail)
