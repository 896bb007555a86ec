"""What the live system announces to the apps that build on it (streaming imports none of them).

`session_archived` is sent once a session's recording is a ready `Video` (sender `LiveSession`,
arguments `session` and `video`); the library answers by drafting a page for it and submitting
that page to moderation. Sent after the archive is committed, from the archive task.
"""

from django.dispatch import Signal

session_archived = Signal()
