from django.core.management.base import BaseCommand

from library.demo.loader import DemoLoader


class Command(BaseCommand):
    """The demo library's pages and videos; studio's `load_demo` (the one manage.py runs) adds
    the demo logins, which belong to the project's roles."""

    help = "Build the demo library (idempotent)."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 1
        DemoLoader(log=self.stdout.write if verbose else lambda _message: None).load()
