"""Live sessions in the admin: editors schedule them and hand the host the stream key.

The key is stored hashed, so it is shown once: right after the session is made or its key is
rotated, kept for that one page view in the editor's own login session.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from streaming.live.addresses import rtmp_url
from streaming.live.keys import issue_key
from streaming.models import LiveSession


def _fresh_key_slot(session: LiveSession) -> str:
    return f"kotikanava-live-key-{session.pk}"


def remember_key(request, session: LiveSession, key: str) -> None:
    request.session[_fresh_key_slot(session)] = key


class LiveSessionForm(WagtailAdminModelForm):
    class Meta:
        model = LiveSession
        fields = [
            "title",
            "description",
            "topic",
            "starts_at",
            "planned_minutes",
            "host",
            "archive_policy",
        ]


class LiveSessionCreateView(generic.CreateView):
    def save_instance(self):
        session = self.form.save(commit=False)
        key = issue_key(session)
        session.save()
        remember_key(self.request, session, key)
        return session

    def get_success_url(self):
        """Straight to the session, where the key is shown this once."""
        return self.get_edit_url()


class LiveSessionEditView(generic.EditView):
    template_name = "streaming/live/edit.html"
    rotate_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "rtmp_url": rtmp_url(),
                "early_minutes": settings.KOTIKANAVA_LIVE_EARLY_MINUTES,
                "fresh_key": self.request.session.pop(_fresh_key_slot(self.object), None),
                "rotate_url_name": self.rotate_url_name,
            }
        )
        return context


class RotateKeyView(generic.PermissionCheckedMixin, View):
    """POST: a new key for the session; the old one stops working at once."""

    permission_required = "change"
    model = LiveSession
    edit_url_name = None
    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(LiveSession, pk=pk)
        remember_key(request, session, issue_key(session))
        messages.success(request, _("The stream key was changed. The old key no longer works."))
        return redirect(self.edit_url_name, pk)
