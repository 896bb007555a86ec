"""Clients ask the host a question from a live session's page, without an account.

Works as a plain form post (redirect back, or the page again with the error) and, enhanced by
`live-questions.js`, with fetch and JSON. Approved questions are offered to viewers as JSON of
plain text; nothing a client typed reaches others without a person's approval.
"""

from django import forms
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from streaming.live import questions
from streaming.live.access import may_see
from streaming.models import LiveSession
from streaming.models.live_question import QUESTION_MAX_LENGTH


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUESTION_MAX_LENGTH}),
        error_messages={
            "required": _("Please write your question."),
            "max_length": _("The question is too long. Shorten it to %(limit_value)d characters."),
        },
    )

    def clean_text(self):
        text = questions.clean_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(self.fields["text"].error_messages["required"])
        return text


def questions_context(request, session: LiveSession, form=None, message="") -> dict:
    """What the page's question section needs; merged into the session page's context."""
    return {
        "questions_open": questions.accepts_questions(session),
        "question_form": form or QuestionForm(),
        "question_max_length": QUESTION_MAX_LENGTH,
        "question_message": message,
        "question_sent": request.GET.get("question") == "sent",
        "approved_questions": list(questions.shown_to_viewers(session)),
        "questions_url": reverse("live_questions", kwargs={"public_id": session.public_id}),
        "question_ask_url": reverse("live_question_ask", kwargs={"public_id": session.public_id}),
    }


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _visible_session(request, public_id) -> LiveSession:
    session = get_object_or_404(LiveSession, public_id=public_id)
    if not may_see(request, session):
        raise Http404
    return session


def _refuse(request, session, status: int, message: str, form=None):
    if _wants_json(request):
        errors = form.errors.get_json_data() if form is not None else {}
        return JsonResponse({"ok": False, "message": message, "errors": errors}, status=status)
    from library.live.views import page_context

    context = page_context(request, session) | questions_context(
        request, session, form=form, message=message
    )
    response = TemplateResponse(request, "library/live/session_page.html", context, status=status)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_POST
def ask_question(request, public_id):
    session = _visible_session(request, public_id)
    if not questions.accepts_questions(session):
        return _refuse(
            request, session, 409, gettext("Questions can be sent only while the session is live.")
        )
    if questions.is_rate_limited(request, session):
        response = _refuse(
            request,
            session,
            429,
            gettext(
                "You have sent several questions in a short time. Please wait a few minutes "
                "before sending another."
            ),
        )
        response["Retry-After"] = str(questions.rate_window_seconds())
        return response
    form = QuestionForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(error) for error in form.errors.get("text", []))
        return _refuse(request, session, 400, message, form=form)
    questions.receive(request, session, form.cleaned_data["text"])
    sent = gettext("Thank you. Your question was sent to the host.")
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": sent}, status=201)
    page = reverse("live_session_page", kwargs={"public_id": session.public_id})
    return HttpResponseRedirect(f"{page}?question=sent#questions")


@require_safe
def approved_questions(request, public_id):
    """The approved questions as plain text (the page's script writes them as text, never HTML)."""
    session = _visible_session(request, public_id)
    data = {
        "open": questions.accepts_questions(session),
        "questions": [
            {"id": question.pk, "text": question.text}
            for question in questions.shown_to_viewers(session)
        ],
    }
    response = JsonResponse(data)
    patch_cache_control(response, private=True, no_cache=True)
    return response
