"""Template helpers for live sessions on client pages."""

from django import template

from library.choices import TopicIcon
from library.live import schedule
from library.live.drafts import TOPIC_ICONS

register = template.Library()


@register.filter
def session_time(session) -> str:
    return schedule.session_time(session)


@register.filter
def topic_icon(session) -> str:
    """The name of the sprite icon (icons.svg) of the session's topic: the icon of the topic
    shelf its recording goes to first."""
    return TOPIC_ICONS.get(session.topic, [TopicIcon.OTHER])[0]
