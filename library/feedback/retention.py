from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def delete_old_feedback(now=None) -> int:
    """Delete feedback older than KOTIKANAVA_FEEDBACK_RETENTION_DAYS; returns how many."""
    from library.models import AccessibilityFeedback

    cutoff = (now or timezone.now()) - timedelta(days=settings.KOTIKANAVA_FEEDBACK_RETENTION_DAYS)
    deleted, _ = AccessibilityFeedback.objects.filter(received_at__lt=cutoff).delete()
    return deleted
