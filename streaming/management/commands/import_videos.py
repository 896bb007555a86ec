from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Collection

from streaming.intake import create_video, is_accepted
from streaming.jobs import run_processing
from streaming.models import Video, VideoStatus


class Command(BaseCommand):
    help = "Import existing recordings (files or folders) as videos and process them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--collection", help="Put the videos in this collection (created).")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Process here and now, one by one, instead of queueing for the workers.",
        )

    def handle(self, *args, paths, collection, wait, **options):
        files = sorted(self.media_files(paths))
        if not files:
            raise CommandError("No video or audio files found.")
        target = self.collection(collection)
        failed = 0
        for path in files:
            video = self.import_file(path, target, queue=not wait)
            if wait:
                run_processing(video)
                video.refresh_from_db()
                failed += video.status == VideoStatus.FAILED
                reason = f": {video.error_message}" if video.error_message else ""
                self.stdout.write(f"{path.name}: {video.get_status_display()}{reason}")
            else:
                self.stdout.write(f"{path.name}: queued as video {video.pk}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be processed.")

    @staticmethod
    def media_files(paths):
        for path in paths:
            if path.is_dir():
                yield from (p for p in path.rglob("*") if is_accepted(p.name))
            elif path.is_file():
                yield path
            else:
                raise CommandError(f"No such file or folder: {path}")

    @staticmethod
    def collection(name):
        root = Collection.get_first_root_node()
        if not name:
            return root
        existing = root.get_children().filter(name=name).first()
        return existing or root.add_child(name=name)

    @staticmethod
    def import_file(path: Path, collection, queue: bool) -> Video:
        with path.open("rb") as handle:
            return create_video(File(handle), path.name, collection=collection, queue=queue)
