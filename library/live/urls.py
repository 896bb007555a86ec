"""Client URLs of live sessions, included under each language prefix (/fi/live/...)."""

from django.urls import path

from library.live.calendar import calendar_feed
from library.live.questions import approved_questions, ask_question
from library.live.views import session_page, session_panel

urlpatterns = [
    path("calendar.ics", calendar_feed, name="live_calendar"),
    path("<uuid:public_id>/", session_page, name="live_session_page"),
    path("<uuid:public_id>/panel/", session_panel, name="live_session_panel"),
    path("<uuid:public_id>/questions/", approved_questions, name="live_questions"),
    path("<uuid:public_id>/questions/ask/", ask_question, name="live_question_ask"),
]
