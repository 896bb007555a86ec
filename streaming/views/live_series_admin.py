"""Weekly live series in the admin: one form plans every week's session.

Creating a series makes its sessions at once, so each has its own page, key and archive like any
session, and each can still be moved or ended on its own. Editing a series passes its title,
description, topic, host, visibility and archive policy on to the sessions still to come (never
their times); deleting it deletes those and keeps the ones that started or were due.
"""

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from streaming.live import series as weekly
from streaming.models import LiveSeries
from streaming.views.live_admin import state_context


def _fresh_keys_slot(series: LiveSeries) -> str:
    return f"kotikanava-live-series-keys-{series.pk}"


class LiveSeriesCreateForm(WagtailAdminModelForm):
    class Meta:
        model = LiveSeries
        fields = [
            "title",
            "description",
            "topic",
            "first_starts_at",
            "planned_minutes",
            "weeks",
            "host",
            "visibility",
            "archive_policy",
        ]
        widgets = {"visibility": forms.RadioSelect}
        help_texts = {
            "first_starts_at": _(
                "The same weekday and clock time (Finnish time) repeats every week, also "
                "across the changes to and from summer time."
            ),
        }


class LiveSeriesEditForm(WagtailAdminModelForm):
    """Only what is handed down to the sessions: their times are changed one by one."""

    class Meta:
        model = LiveSeries
        fields = ["title", "description", "topic", "host", "visibility", "archive_policy"]
        widgets = {"visibility": forms.RadioSelect}


class LiveSeriesCreateView(generic.CreateView):
    def save_instance(self):
        """The series and all its sessions, or nothing (CreateView's transaction holds both)."""
        with transaction.atomic():
            series = super().save_instance()
            keys = weekly.create_sessions(series)
        self.request.session[_fresh_keys_slot(series)] = {str(pk): key for pk, key in keys.items()}
        return series

    def get_success_url(self):
        """To the series, where the sessions' keys are shown this once."""
        return self.get_edit_url()

    def get_success_message(self, instance):
        return ngettext(
            "Weekly series '%(title)s' created with %(count)d session.",
            "Weekly series '%(title)s' created with %(count)d sessions.",
            instance.weeks,
        ) % {"title": instance.title, "count": instance.weeks}


class LiveSeriesEditView(generic.EditView):
    template_name = "streaming/live/series_edit.html"
    session_edit_url_name = None

    def save_instance(self):
        with transaction.atomic():
            series = super().save_instance()
            self.updated = weekly.update_upcoming(series, timezone.now())
        return series

    def get_success_message(self):
        return ngettext(
            "Weekly series '%(title)s' updated, and %(count)d upcoming session with it.",
            "Weekly series '%(title)s' updated, and %(count)d upcoming sessions with it.",
            self.updated,
        ) % {"title": self.object.title, "count": self.updated}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fresh_keys = self.request.session.pop(_fresh_keys_slot(self.object), {})
        sessions = self.object.sessions.select_related("video").order_by("starts_at")
        context["occurrences"] = [
            {
                **state_context(session),
                "edit_url": reverse(self.session_edit_url_name, args=[session.pk]),
                "fresh_key": fresh_keys.get(str(session.pk), ""),
            }
            for session in sessions
        ]
        context["has_fresh_keys"] = bool(fresh_keys)
        return context


class LiveSeriesDeleteView(generic.DeleteView):
    """Deletes the sessions still to come; those that started or were due outlive the series."""

    template_name = "streaming/live/series_confirm_delete.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.now = timezone.now()

    def delete_action(self):
        with transaction.atomic():
            weekly.delete_upcoming(self.object, self.now)
            super().delete_action()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming"] = weekly.upcoming_sessions(self.object, self.now)
        context["kept"] = weekly.kept_sessions(self.object, self.now)
        return context
