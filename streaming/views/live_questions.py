"""The host's view of clients' questions during a live session, in the Wagtail admin.

The session's host and whoever may change live sessions see the questions as they arrive (the
page polls `questions_data` every 2 s) and decide on each: answered, hidden, or shown to viewers.
The same list is a partial (`streaming/live/questions_panel.html`) with its script
(`streaming/js/live-questions.js`) that the browser studio page embeds, given the context of
`questions_panel_context()`.
"""

from functools import wraps

from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from streaming.live import questions
from streaming.live.questions import may_handle
from streaming.models import LiveQuestion, LiveSession, QuestionState

POLL_MILLISECONDS = 2000
URL_NAMESPACE = "live_sessions"


def _url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class NotTheirs(Exception):
    """The user is neither the session's host nor allowed to change live sessions."""


def _session_for(request, pk) -> LiveSession:
    session = get_object_or_404(LiveSession, pk=pk)
    if not may_handle(request.user, session):
        raise NotTheirs
    return session


def forbidden_unless_handler(view):
    """403 for others: Wagtail would turn PermissionDenied into a redirect to the dashboard."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotTheirs:
            return HttpResponseForbidden(
                gettext("Only the host of this session and editors may handle its questions.")
            )

    return checked


def question_data(question: LiveQuestion) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "created_at": question.created_at.isoformat(),
        "state": question.state,
        "state_label": question.get_state_display(),
        "approved": question.approved_for_viewers,
        "actions": {
            action: _url("question_action", question.session_id, question.pk, action)
            for action in questions.ACTIONS
        },
    }


def questions_panel_context(request, session: LiveSession) -> dict:
    """The partial's context: the questions so far and the address it polls."""
    listed = list(session.questions.all())
    return {
        "session": session,
        "questions": [question_data(question) for question in listed],
        "waiting_count": sum(1 for q in listed if q.state == QuestionState.WAITING),
        "questions_data_url": _url("questions_data", session.pk),
        "questions_poll_ms": POLL_MILLISECONDS,
    }


class LiveQuestionsView(generic.WagtailAdminTemplateMixin, TemplateView):
    """The admin page of one session's questions, for hosts streaming with RTMP."""

    template_name = "streaming/live/questions.html"
    page_title = _("Questions")
    header_icon = "help"
    http_method_names = ["get", "head"]

    @method_decorator(forbidden_unless_handler)
    def get(self, request, pk):
        self.session = _session_for(request, pk)
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(questions_panel_context(self.request, self.session))
        context["edit_url"] = _url("edit", self.session.pk)
        return context

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": _url("index"),
                "label": capfirst(LiveSession._meta.verbose_name_plural),
            },
            {"url": _url("edit", self.session.pk), "label": str(self.session)},
            {"url": "", "label": _("Questions")},
        ]


@forbidden_unless_handler
@require_safe
def questions_data(request, pk):
    session = _session_for(request, pk)
    context = questions_panel_context(request, session)
    waiting = context["waiting_count"]
    summary = ngettext("%(counter)s question waiting", "%(counter)s questions waiting", waiting) % {
        "counter": waiting
    }
    response = JsonResponse(
        {"questions": context["questions"], "waiting": waiting, "summary": summary}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@forbidden_unless_handler
@require_POST
def question_action(request, pk, question_pk, action):
    session = _session_for(request, pk)
    if action not in questions.ACTIONS:
        raise Http404
    question = get_object_or_404(LiveQuestion, pk=question_pk, session=session)
    questions.handle(question, action, request.user)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"question": question_data(question)})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = _url("questions", session.pk)
    return redirect(back)


class QuestionsColumn(Column):
    """The listing's link to a session's questions, with how many wait for an answer."""

    cell_template_name = "streaming/live/questions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is None or not may_handle(request.user, instance):
            return context
        context["questions_url"] = _url("questions", instance.pk)
        context["waiting_count"] = instance.waiting_questions  # LiveSessionIndexView counts them
        return context
