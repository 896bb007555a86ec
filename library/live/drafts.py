"""A draft library page for a live session's recording, submitted to the editors' workflow.

The page is of the session topic's page type and sits under the matching topic of the site's
home page. Café sessions get a `GuidePage`: a café recording is a conversation, and the guide is
the one type without fields that would misinform (an exercise's position and safety notes, a
recipe's servings and diets, which feed the listing filters); its device is a tablet, which is how
clients join. It goes under a café topic, else a general ("other") one, else digital skills, the
shelf where the guides, and the video-call guide the café relies on, already are.

Nothing is ever published here: the page waits, with the host as its owner and submitter, for an
editor, because a session may show clients' faces and voices.
"""

import logging

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page, Site

from library.choices import Device, Position, TopicIcon
from library.live.schedule import HELSINKI
from library.models import (
    ContentPage,
    ExercisePage,
    GuidePage,
    HomePage,
    LiveRecordingPage,
    RecipePage,
    TopicPage,
)
from streaming.models import LiveSession, LiveTopic, Video

logger = logging.getLogger(__name__)

PAGE_TYPES: dict[str, type[ContentPage]] = {
    LiveTopic.EXERCISE: ExercisePage,
    LiveTopic.COOKING: RecipePage,
    LiveTopic.DIGITAL: GuidePage,
    LiveTopic.CAFE: GuidePage,
}
# The topic shelves a session's page may go under, best first, by the topic page's icon.
TOPIC_ICONS: dict[str, list[str]] = {
    LiveTopic.EXERCISE: [TopicIcon.EXERCISE],
    LiveTopic.COOKING: [TopicIcon.FOOD],
    LiveTopic.DIGITAL: [TopicIcon.DIGITAL],
    LiveTopic.CAFE: [TopicIcon.CAFE, TopicIcon.OTHER, TopicIcon.DIGITAL],
}
SUMMARY_LENGTH = ContentPage._meta.get_field("summary").max_length


def draft_recording_page(session: LiveSession, video: Video) -> Page | None:
    """Draft (once per recording) and submit the recording's page; None when skipped."""
    page_type = PAGE_TYPES.get(session.topic)
    topic = find_topic(session.topic, page_type) if page_type else None
    if topic is None:
        logger.warning(
            "No topic page takes the recording of live session %s (topic %r): no page drafted",
            session.public_id,
            session.topic,
        )
        return None
    with transaction.atomic():
        record, created = LiveRecordingPage.objects.select_for_update().get_or_create(
            video=video, defaults={"session": session}
        )
        if not created:
            logger.info("Live session %s's recording already has its page", session.public_id)
            return None
        with translation.override(topic.locale.language_code):
            page = _build_page(page_type, session, video, topic)
        topic.add_child(instance=page)
        revision = page.save_revision(user=session.host, log_action=False)
        log(instance=page, action="wagtail.create", user=session.host, revision=revision)
        record.page = page
        record.save(update_fields=["page"])
        _submit(page, session)
    logger.info("Drafted page %s for the recording of live session %s", page.pk, session.public_id)
    return page


def find_topic(live_topic: str, page_type: type[ContentPage]) -> TopicPage | None:
    """The first live topic of the site's home page, in tree order, whose icon fits the
    session's topic (preferred icons first) and which accepts the page type."""
    home = _home()
    if home is None:
        return None
    topics = TopicPage.objects.child_of(home).live().order_by("path")
    for icon in TOPIC_ICONS.get(live_topic, []):
        for topic in topics.filter(icon=icon):
            if page_type.can_create_at(topic):
                return topic
    return None


def _home() -> HomePage | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.specific if site else None
    return root if isinstance(root, HomePage) else None


def _build_page(page_type, session: LiveSession, video: Video, topic: TopicPage) -> ContentPage:
    start = session.starts_at.astimezone(HELSINKI)
    summary = session.description.strip() or gettext(
        "Recording of the live session on %(date)s."
    ) % {"date": date_format(start, "SHORT_DATE_FORMAT")}
    fields = {
        "title": session.title,
        "slug": find_available_slug(topic, f"{slugify(session.title) or 'live'}-{start:%Y-%m-%d}"),
        "summary": Truncator(summary).chars(SUMMARY_LENGTH),
        "video": video,
        "owner": session.host,
        "live": False,
    }
    if page_type is ExercisePage:
        minutes = round(video.duration / 60) if video.duration else session.planned_minutes
        # Position is required to publish; most live exercise is the seated chair class.
        fields |= {"duration_minutes": max(minutes, 1), "position": Position.SEATED}
    elif page_type is GuidePage:
        fields["device"] = Device.TABLET
    return page_type(**fields)


def _submit(page: Page, session: LiveSession) -> None:
    """Into the page's moderation workflow as if the host pressed "Submit"; without a workflow
    the draft simply waits in the page tree."""
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        logger.info("No workflow for page %s: left as a draft", page.pk)
        return
    workflow.start(page, session.host)
