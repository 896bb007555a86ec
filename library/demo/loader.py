"""Builds the demo library; every step finds what exists first, so running it again is safe."""

import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from library.demo import content, media
from library.models import (
    AccessibilityStatementPage,
    ExercisePage,
    GuidePage,
    HomePage,
    InfoPage,
    RecipePage,
    TopicPage,
)
from streaming.intake import create_video
from streaming.models import Caption, Video
from streaming.pipeline.captions import Cue, parse, to_webvtt

TOPIC_CONTENT = {
    "liikunta": (ExercisePage, content.EXERCISES),
    "ruoka": (RecipePage, content.RECIPES),
    "digitaidot": (GuidePage, content.GUIDES),
}


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.workdir = Path(tempfile.mkdtemp(prefix="kotikanava-demo-"))

    @transaction.atomic
    def load(self) -> HomePage:
        home = self.home()
        for topic_data in content.TOPICS:
            topic = self.child(home, TopicPage, topic_data)
            model, pages = TOPIC_CONTENT[topic_data["slug"]]
            for page_data in pages:
                self.child(topic, model, self.content_fields(model, page_data))
        for info in content.INFO_PAGES:
            self.child(home, InfoPage, info)
        self.statement(home)
        self.translate(home, "sv", content.SWEDISH_TITLES)
        self.translate_statement(home, "sv", content.STATEMENT_SV)
        return home

    def home(self) -> HomePage:
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(slug=content.HOME["slug"], locale=root.locale).first()
        if home is None:
            home = root.add_child(instance=HomePage(**content.HOME))
            home.save_revision().publish()
            self.log(f"Created {home.title}")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.save()
            if type(old_root.specific) is Page and not old_root.get_children().exists():
                old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
        return home

    def child(self, parent, model, fields):
        existing = model.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing:
            return existing
        tags = fields.pop("tags", [])
        page = model(**fields)
        if tags:
            page.tags.add(*tags)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.log(f"Created {page.title}")
        return page

    def content_fields(self, model, data) -> dict:
        data = dict(data)
        clip_kind = data.pop("clip")
        color = data.pop("image_color")
        fields = {k: v for k, v in data.items() if k not in {"steps", "ingredients", "diets"}}
        captions = content.CAPTIONS.get(data["slug"], {})
        fields["listing_image"] = self.image(data["title"], media.listing_image(color))
        if clip_kind:
            fields["video"] = self.video(data["title"], clip_kind, captions)
        if model is GuidePage:
            fields["steps"] = [
                (
                    "step",
                    {
                        "text": text,
                        "screenshot": self.image(f"{data['title']} {n}", media.screenshot(n)),
                        "screenshot_alt": alt,
                    },
                )
                for n, (text, alt) in enumerate(data["steps"], start=1)
            ]
        else:
            fields["steps"] = [("step", {"text": text}) for text in data["steps"]]
        if model is RecipePage:
            fields["ingredients"] = [
                ("ingredient", {"amount": Decimal(amount), "unit": unit, "item": item})
                for amount, unit, item in data["ingredients"]
            ]
            fields.update({diet: True for diet in data.get("diets", [])})
        return fields

    def image(self, title: str, data: bytes):
        image_model = get_image_model()
        existing = image_model.objects.filter(title=title).first()
        if existing:
            return existing
        filename = f"{Path(title).stem.replace(' ', '-').lower()}.jpg"
        return image_model.objects.create(
            title=title, file=ImageFile(ContentFile(data, name=filename), name=filename)
        )

    def video(self, title: str, kind: str, captions: dict[str, list[str]]) -> Video:
        """A clip of media.clip_seconds() whose voice speaks the Finnish caption sentences,
        with a caption track per language. A video already there is kept as it is."""
        existing = Video.objects.filter(title=title).first()
        if existing:
            return existing
        seconds = media.clip_seconds()
        timings = media.speech_timings(captions.get("fi", []), seconds)
        path = media.clip(kind, self.workdir / f"{kind}.mp4", timings, seconds)

        def add_captions(video):  # before queueing: the transcode puts them in the master
            for language, sentences in captions.items():
                self.caption(video, language, sentences, timings)

        with path.open("rb") as handle:
            return create_video(File(handle), path.name, title=title, on_saved=add_captions)

    def caption(self, video: Video, language: str, sentences, timings) -> Caption:
        """A caption track stored as staff's uploads are: the WebVTT file parsed and checked,
        then saved with its transcript (streaming.forms.BaseVideoForm.save_captions)."""
        pairs = zip(timings, sentences, strict=True)
        cues = [Cue(start, end, text) for (start, end), text in pairs]
        vtt = to_webvtt(cues)
        caption = Caption(
            video=video, language=language, label=str(dict(settings.LANGUAGES)[language])
        )
        caption.store(parse(vtt.encode("utf-8")))
        return caption

    def translate(self, home: HomePage, language: str, titles: dict[str, str]) -> None:
        """Copy the tree to another locale, with translated titles, for the language switcher."""
        locale = Locale.objects.get(language_code=language)
        for page in [home, *home.get_descendants().live().specific()]:
            if page.get_translations().filter(locale=locale).exists():
                continue
            copy = page.copy_for_translation(locale)
            copy.title = titles.get(page.slug, page.title)
            copy.save_revision().publish()
            self.log(f"Translated {page.title} -> {copy.title}")

    def statement(self, home: HomePage) -> InfoPage:
        """The accessibility statement. A database made before it had its own page type holds a
        plain information page under the same slug: that one is kept (delete it to get this)."""
        existing = InfoPage.objects.child_of(home).filter(slug=content.STATEMENT["slug"]).first()
        if existing:
            return existing
        return self.child(home, AccessibilityStatementPage, dict(content.STATEMENT))

    def translate_statement(self, home: HomePage, language: str, fields: dict) -> None:
        """Give the statement's fresh translation its own language's text."""
        copies = AccessibilityStatementPage.objects.filter(
            locale__language_code=language,
            translation_key__in=AccessibilityStatementPage.objects.child_of(home).values(
                "translation_key"
            ),
        )
        for copy in copies:
            if copy.body != content.STATEMENT["body"]:
                continue  # already translated
            for name, value in fields.items():
                setattr(copy, name, value)
            copy.save_revision().publish()
            self.log(f"Translated the text of {copy.title}")
