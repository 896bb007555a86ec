"""Telling an editor that approving a page has published it.

When the last task of a page's workflow is approved, Wagtail publishes the page without saying
so: its workflow action view (the dashboard's "Approve") shows no message and runs no hook that
gets the request, and the page editor's "Approve" says only that the page was updated. Its audit
log records both steps of that request under one log-context id, so the next admin page the
editor sees reads them and says so, once: the session remembers the last approval it told of.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page, PageLogEntry

APPROVE = "wagtail.workflow.approve"
PUBLISH = "wagtail.publish"
TOLD = "studio.approvals_told_up_to"
# Older approvals are no news (a new login must not repeat them).
FRESH = timedelta(minutes=10)


def tell_about_published_approvals(request) -> None:
    """Add "now published" messages for this person's approvals that published a page."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is None or user is None or not user.is_authenticated:
        return
    approvals = dict(
        PageLogEntry.objects.filter(
            user=user,
            action=APPROVE,
            pk__gt=session.get(TOLD, 0),
            timestamp__gte=timezone.now() - FRESH,
        ).values_list("pk", "uuid")
    )
    if not approvals:
        return
    session[TOLD] = max(approvals)
    published = PageLogEntry.objects.filter(
        user=user, action=PUBLISH, uuid__in=[uuid for uuid in approvals.values() if uuid]
    ).values_list("page_id", flat=True)
    for page in Page.objects.filter(pk__in=set(published)).specific():
        if not page.live:
            continue  # unpublished again since
        message = _("“%(title)s” is approved and published: clients can see it now.") % {
            "title": page.get_admin_display_title()
        }
        url = page.get_url(request)
        buttons = [messages.button(url, _("View live"), new_window=True)] if url else None
        messages.success(request, message, buttons=buttons)
