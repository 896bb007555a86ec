"""Caption files as staff send them, and the video edit form that takes them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

SRT = """1
00:00:01,000 --> 00:00:03,500
Nosta hartiat <i>hitaasti</i> ylös.

2
00:00:04,000 --> 00:00:06,000
Laske ne alas.
"""

BROKEN_SRT = """1
00:00:01,000 --> 00:00:03,500
Nosta hartiat.

2
00:00:04,000 -> 00:00:06,000
Laske ne alas.
"""

BROKEN_VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
Hei.

00:00:05.000 --> 00:00:04.000
Takaperin.
"""


def edit(client, video, **files):
    data = {"title": video.title, "collection": Collection.get_first_root_node().pk, **files}
    return client.post(reverse("videos:edit", args=[video.pk]), data)


def srt(text: str, name="tekstit.srt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-subrip")
