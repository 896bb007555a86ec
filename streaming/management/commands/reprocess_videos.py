from django.core.management.base import BaseCommand, CommandError

from streaming.models import Video, VideoStatus
from streaming.processing import request_processing


class Command(BaseCommand):
    help = "Queue videos for processing again, e.g. after the ladder settings changed."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Video ids.")
        parser.add_argument("--all", action="store_true", help="Every video.")
        parser.add_argument("--failed", action="store_true", help="Every failed video.")

    def handle(self, *args, ids, all, failed, **options):
        if not (ids or all or failed):
            raise CommandError("Name video ids, or use --all or --failed.")
        videos = Video.objects.all()
        if not all:
            videos = videos.filter(pk__in=ids) if ids else videos
            videos = videos.filter(status=VideoStatus.FAILED) if failed else videos
        count = 0
        for video in videos.iterator():
            request_processing(video)
            count += 1
        self.stdout.write(f"Queued {count} video(s).")
