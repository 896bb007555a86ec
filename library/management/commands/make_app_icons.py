from django.core.management.base import BaseCommand

from library.offline.icons import write_icons


class Command(BaseCommand):
    help = "Draw the installable app's icons (192 and 512 px PNG) into library's static files."

    def handle(self, *args, **options):
        for path in write_icons():
            self.stdout.write(str(path))
