"""The project's own models: staff members' upload tokens (see ``studio.tokens``)."""

from studio.tokens import UploadToken

__all__ = ["UploadToken"]
