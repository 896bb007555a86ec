from django.core.management.base import BaseCommand

from streaming.uploads import clean_stale_sessions


class Command(BaseCommand):
    help = "Remove upload sessions nobody has continued for a while, and their temporary files."

    def handle(self, *args, **options):
        removed = clean_stale_sessions()
        if options["verbosity"]:
            self.stdout.write(f"Removed {removed} stale upload session(s).")
