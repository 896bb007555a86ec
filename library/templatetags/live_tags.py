"""Template helpers for live sessions on client pages."""

from django import template

from library.choices import TopicIcon
from library.live import schedule
from streaming.models import LiveTopic

register = template.Library()

ICONS = {
    LiveTopic.EXERCISE: TopicIcon.EXERCISE,
    LiveTopic.COOKING: TopicIcon.FOOD,
    LiveTopic.DIGITAL: TopicIcon.DIGITAL,
    LiveTopic.CAFE: TopicIcon.CAFE,
}


@register.filter
def session_time(session) -> str:
    return schedule.session_time(session)


@register.filter
def topic_icon(session) -> str:
    """The name of the sprite icon (icons.svg) of the session's topic."""
    return ICONS.get(session.topic, TopicIcon.OTHER)
