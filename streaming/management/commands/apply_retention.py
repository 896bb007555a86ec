from django.core.management.base import BaseCommand

from streaming.retention import apply_retention
from streaming.uploads import clean_stale_sessions


class Command(BaseCommand):
    help = (
        "Delete originals past KOTIKANAVA_ORIGINAL_RETENTION_DAYS, failed uploads past "
        "KOTIKANAVA_FAILED_UPLOAD_RETENTION_HOURS, and abandoned upload sessions."
    )

    def handle(self, *args, **options):
        deleted = apply_retention()
        abandoned = clean_stale_sessions()
        if options["verbosity"]:
            self.stdout.write(
                f"Deleted {deleted['originals']} original(s) of ready videos, "
                f"{deleted['failed_uploads']} original(s) of failed uploads and "
                f"{abandoned} abandoned upload session(s)."
            )
