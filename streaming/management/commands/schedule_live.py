"""Schedule a live session from the command line and print where and how to stream to it."""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from streaming.live.addresses import page_url, rtmp_url, status_url
from streaming.live.keys import issue_key
from streaming.models import LiveSession, LiveTopic


def parse_start(value: str) -> datetime:
    if value == "now":
        return timezone.now()
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--start must be ISO 8601 or 'now', not {value!r}") from None
    return start if timezone.is_aware(start) else timezone.make_aware(start)


class Command(BaseCommand):
    help = "Schedule a live session; print its id, RTMP URL, stream key and status URL."

    def add_arguments(self, parser):
        parser.add_argument("--title", required=True)
        parser.add_argument("--start", required=True, help="ISO 8601 (Europe/Helsinki) or now")
        parser.add_argument("--duration", type=int, required=True, help="Planned minutes.")
        parser.add_argument("--topic", default=LiveTopic.EXERCISE, choices=LiveTopic.values)
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print one JSON object."
        )

    def handle(self, *args, title, start, duration, topic, as_json, **options):
        if not 0 < duration <= 24 * 60:
            raise CommandError("--duration must be between 1 and 1440 minutes")
        session = LiveSession(
            title=title, starts_at=parse_start(start), planned_minutes=duration, topic=topic
        )
        key = issue_key(session)
        session.save()
        result = {
            "id": session.pk,
            "rtmp_url": rtmp_url(),
            "stream_key": key,
            "status_url": status_url(session),
            "page_url": page_url(session),
        }
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"Live session {session.pk}: {title}\n"
            f"  starts   {timezone.localtime(session.starts_at):%Y-%m-%d %H:%M} "
            f"(planned {duration} min)\n"
            f"  server   {result['rtmp_url']}\n"
            f"  key      {key}\n"
            f"  status   {result['status_url']}\n"
            "The key is shown only now; keep it for the host."
        )
