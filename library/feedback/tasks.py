"""Background work for feedback: the e-mail to editors goes through the task workers, so a slow
or unreachable mail server never holds up the client's page."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

# Whoever may mark feedback handled is told of new feedback: the editors, by their role.
HANDLES_FEEDBACK = ("library", "change_accessibilityfeedback")


def editor_addresses() -> list[str]:
    """Active users who may handle feedback (through a group or their own) and have an e-mail."""
    app_label, codename = HANDLES_FEEDBACK
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


# The short-work queue: a transcode backlog never delays the editors' notice.
@task(queue_name="default")
def notify_editors(feedback_id: int) -> int:
    """E-mail the editors that new feedback has come; returns how many were told."""
    from library.models import AccessibilityFeedback

    feedback = AccessibilityFeedback.objects.filter(pk=feedback_id).first()
    recipients = editor_addresses()
    if feedback is None or not recipients:
        return 0
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "accessibility_feedback:inspect", args=[feedback.pk]
    )
    # Editors work in Finnish first; the message itself is quoted as the client wrote it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(
            "library/feedback/notification_subject.txt", {"feedback": feedback}
        ).strip()
        body = render_to_string(
            "library/feedback/notification_body.txt",
            {"feedback": feedback, "admin_url": admin_url},
        )
    send_mail(subject, body, None, recipients)
    return len(recipients)
