"""Live sessions in the admin: editors schedule them and hand the host the stream key.

The key is stored hashed, so it is shown once: right after the session is made or its key is
rotated, kept for that one page view in the editor's own login session. The edit page also
shows where the session stands (live, ended, failed and why, its recording) and lets an editor
end it at once.
"""

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from streaming.conf import setting
from streaming.live import lifecycle
from streaming.live.addresses import rtmp_url
from streaming.live.keys import issue_key
from streaming.models import LiveSession, LiveState, QuestionState

# Wagtail's status tag modifiers: live is the filled tag, a failure stands out.
STATE_CLASSES = {
    LiveState.LIVE: "w-status--primary",
    LiveState.FAILED: "streaming-status--failed",
}


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
            "visibility",
            "archive_policy",
        ]
        widgets = {"visibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post (scripts written before the field was here), visibility stays as it is.
        self.fields["visibility"].required = False

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or self.instance.visibility


def is_running(session: LiveSession) -> bool:
    """Scheduled or live: the host may still stream, and an editor may still end it."""
    return session.state in lifecycle.RUNNING


def state_context(session: LiveSession) -> dict:
    """What the state box and the listing's state cell need."""
    return {
        "session": session,
        "state_label": session.get_state_display(),
        "state_class": STATE_CLASSES.get(session.state, ""),
        # A session stopped by a fault and archived afterwards keeps its reason: still shown.
        "failed": session.state == LiveState.FAILED or bool(session.failure_reason),
        "running": is_running(session),
        "recording_url": reverse("videos:edit", args=[session.video_id])
        if session.video_id
        else "",
    }


class LiveStateColumn(Column):
    """The state as a status tag, with the reason when it failed."""

    cell_template_name = "streaming/live/state_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(state_context(instance))
        return context


class LiveSessionIndexView(generic.IndexView):
    template_name = "streaming/live/index.html"

    def get_base_queryset(self):
        """With each session's waiting questions counted in the same query (the listing's
        questions column), not one query per row."""
        waiting = Q(questions__state=QuestionState.WAITING)
        return super().get_base_queryset().annotate(waiting_questions=Count("questions", waiting))


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
    end_url_name = None
    series_edit_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        context.update(state_context(session))
        context.update(
            {
                "rtmp_url": rtmp_url(),
                "early_minutes": setting("LIVE_EARLY_MINUTES"),
                "fresh_key": self.request.session.pop(_fresh_key_slot(session), None),
                "rotate_url_name": self.rotate_url_name,
                "end_url": reverse(self.end_url_name, args=[session.pk])
                if is_running(session)
                else "",
                "series_url": reverse(self.series_edit_url_name, args=[session.series_id])
                if session.series_id and self.series_edit_url_name
                else "",
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
        messages.success(
            request, gettext("The stream key was changed. The old key no longer works.")
        )
        return redirect(self.edit_url_name, pk)


class EndSessionView(
    generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, generic.BaseOperationView
):
    """GET asks for confirmation; POST ends the session at once, whatever its grace period.

    Ending only marks the row; the packager supervisor stops the stream and archives what was
    received, as it does when a host stops streaming.
    """

    permission_required = "change"
    model = LiveSession
    template_name = "streaming/live/confirm_end.html"
    page_title = _("End the session")
    header_icon = "calendar"
    index_url_name = None
    edit_url_name = None
    http_method_names = ["get", "post"]

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(self.model_opts.verbose_name_plural),
            },
            {"url": self.get_success_url(), "label": str(self.object)},
            {"url": "", "label": _("End now")},
        ]

    def get_success_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(state_context(self.object))
        context["end_url"] = self.request.path
        context["cancel_url"] = self.get_success_url()
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        why = f"ended by {request.user.get_username()}"
        if lifecycle.end_session(self.object.pk, timezone.now(), why, by=self.request.user):
            messages.success(
                request,
                gettext(
                    "The session was ended. If a stream was still running, it stops in a moment."
                ),
            )
        else:
            messages.warning(request, gettext("The session had already ended."))
        return redirect(self.get_success_url())
